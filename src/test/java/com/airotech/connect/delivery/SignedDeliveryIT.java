package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.NodeReceiver;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Deliveries as a receiver built by others sees them: every one verified by the Standard Webhooks
 * reference library (npm standardwebhooks, in Node), in order per source connector, with the body of
 * the contract, and through a rotation of the signing secret in the middle of a stream.
 */
class SignedDeliveryIT {
    @Test
    void everyDeliveryVerifiesWithTheStandardWebhooksLibraryAndArrivesInOrderPerSourceConnector() {
        try (DeliveryFixture f = DeliveryFixture.start(); NodeReceiver rx = NodeReceiver.start()) {
            JsonNode north = f.source;
            JsonNode south = f.newSource("south");
            JsonNode sub = f.subscribeTo(f.targetConnector(rx.url("/hooks/airotech")));
            assertThat(sub.get("signing_secret").asText()).startsWith("whsec_");
            assertThat(sub.get("signing_secret_sha256").asText()).isEqualTo(com.airotech.connect.common.Crypto.sha256Hex(sub.get("signing_secret").asText()));
            rx.secrets(sub.get("signing_secret").asText());
            for (int i = 0; i < 15; i++) {
                f.send(north, "door_open", "n" + i);
                f.send(south, "temp_reading", "s" + i);
            }
            Await.until("30 verified deliveries", () -> rx.accepted().size() >= 30, Duration.ofSeconds(20), () -> rx.seen.toString());

            assertThat(rx.seen).allSatisfy(r -> {
                assertThat(r.get("verified").asBoolean()).as(r.toString()).isTrue();
                assertThat(r.get("method").asText()).isEqualTo("POST");
                assertThat(r.get("path").asText()).isEqualTo("/hooks/airotech");
            });
            List<String> northIds = new ArrayList<>();
            List<String> southIds = new ArrayList<>();
            for (JsonNode r : rx.accepted()) {
                JsonNode b = Json.tree(r.get("body").asText());
                (b.get("connector_id").asText().equals(north.get("connector_id").asText()) ? northIds : southIds).add(b.get("event_id").asText());
            }
            assertThat(northIds).containsExactly(range("n", 15));
            assertThat(southIds).containsExactly(range("s", 15));

            JsonNode first = rx.accepted().stream().filter(r -> Json.tree(r.get("body").asText()).get("event_id").asText().equals("n0")).findFirst().orElseThrow();
            JsonNode b = Json.tree(first.get("body").asText());
            List<String> fields = new ArrayList<>();
            b.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("event_id", "tenant_id", "connector_id", "event_type", "occurred_at", "received_at", "data");
            assertThat(b.get("tenant_id").asText()).isEqualTo(f.t.tenantId());
            assertThat(b.get("event_type").asText()).isEqualTo("door_open");
            assertThat(b.get("occurred_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
            assertThat(Instant.parse(b.get("received_at").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(b.get("data")).isEqualTo(Json.tree("{\"value\":21.5}"));

            String subId = sub.get("subscription_id").asText();
            Await.until("the deliveries recorded", () -> f.delivery(subId, "n0") != null, Duration.ofSeconds(5));
            JsonNode listed = f.delivery(subId, "n0");
            assertThat(listed.get("status").asText()).isEqualTo("delivered");
            assertThat(first.get("id").asText()).as("webhook-id is the delivery id").isEqualTo(listed.get("delivery_id").asText());
            assertThat(listed.get("attempts")).hasSize(1);
            assertThat(listed.get("attempts").get(0).get("status_code").asInt()).isEqualTo(200);
            Await.until("the cursor to pass every event", () -> f.subscription(subId).get("backlog").asLong() == 0, Duration.ofSeconds(5));
            JsonNode shown = f.subscription(subId);
            assertThat(shown.get("health").asText()).isEqualTo("healthy");
            assertThat(shown.get("delivered_total").asLong()).isEqualTo(30);
            assertThat(shown.toString()).doesNotContain(sub.get("signing_secret").asText()).doesNotContain(sub.get("signing_secret").asText().substring(6));
            assertThat(f.g.get(f.t.token(), "/api/status").json().at("/gateway/kafka/state").asText()).as("delivery needs no Kafka").isEqualTo("off");
        }
    }

    @Test
    void rotatingTheSecretMidStreamSignsWithBothSecretsForTheGraceThenOnlyTheNewOne() throws Exception {
        try (DeliveryFixture f = DeliveryFixture.start(); NodeReceiver rx = NodeReceiver.start()) {
            JsonNode sub = f.subscribeTo(f.targetConnector(rx.url("/hooks")));
            String subId = sub.get("subscription_id").asText();
            String oldSecret = sub.get("signing_secret").asText();
            rx.secrets(oldSecret);
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) f.send("e" + i);
            });
            Await.until("the stream to be under way", () -> rx.accepted().size() >= 5, Duration.ofSeconds(10));
            TestGateway.Response rotated = f.g.postJson(f.t.token(), "/api/subscriptions/" + subId + "/rotate-secret", "{\"grace_seconds\":3600}");
            assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
            String newSecret = rotated.text("signing_secret");
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            assertThat(Instant.parse(rotated.text("previous_valid_until"))).isAfter(Instant.now().plusSeconds(3500));
            stream.get();
            Await.until("all 40 events", () -> rx.accepted().size() >= 40, Duration.ofSeconds(20), () -> rx.seen.toString());
            assertThat(rx.seen).allSatisfy(r -> assertThat(r.get("verified").asBoolean()).as("verified with the old secret, in or after the rotation").isTrue());
            assertThat(rx.seen.get(rx.seen.size() - 1).get("signatures").asInt()).as("the last ones carry both signatures").isEqualTo(2);
            assertThat(f.subscription(subId).get("previous_secret_valid_until").isNull()).isFalse();

            // a receiver that already switched to the new secret accepts them as well
            rx.secrets(newSecret);
            int before = rx.seen.size();
            for (int i = 40; i < 45; i++) f.send("e" + i);
            Await.until("five more", () -> rx.seen.size() >= before + 5, Duration.ofSeconds(10));
            assertThat(rx.seen.subList(before, rx.seen.size())).allSatisfy(r -> {
                assertThat(r.get("verified").asBoolean()).isTrue();
                assertThat(r.get("signatures").asInt()).isEqualTo(2);
            });

            // a second rotation without grace: only the newest secret signs from now on
            TestGateway.Response again = f.g.postJson(f.t.token(), "/api/subscriptions/" + subId + "/rotate-secret", "{\"grace_seconds\":0}");
            String newest = again.text("signing_secret");
            rx.secrets(newest);
            int mark = rx.seen.size();
            for (int i = 45; i < 50; i++) f.send("e" + i);
            Await.until("five more", () -> rx.seen.size() >= mark + 5, Duration.ofSeconds(10));
            assertThat(rx.seen.subList(mark, rx.seen.size())).allSatisfy(r -> {
                assertThat(r.get("verified").asBoolean()).isTrue();
                assertThat(r.get("signatures").asInt()).isEqualTo(1);
            });
            List<String> ids = rx.accepted().stream().map(r -> Json.tree(r.get("body").asText()).get("event_id").asText()).distinct().toList();
            assertThat(ids).containsExactly(range("e", 50));
            JsonNode audit = f.g.get(f.t.token(), "/api/audit?action=subscription.secret_rotated").json().get("entries");
            assertThat(audit).hasSize(2);
            assertThat(audit.toString()).doesNotContain(newSecret.substring(6)).doesNotContain(newest.substring(6));
        }
    }

    @Test
    void theSigningSecretIsResealedByAMasterKeyRotationAndStillSigns() {
        try (DeliveryFixture f = DeliveryFixture.start(); NodeReceiver rx = NodeReceiver.start()) {
            JsonNode sub = f.subscribeTo(f.targetConnector(rx.url("/hooks")));
            String subId = sub.get("subscription_id").asText();
            rx.secrets(sub.get("signing_secret").asText());
            var result = f.g.platform.keyRotation().rotate();
            assertThat(result.valuesResealed()).as("the subscription's sealed secret among them").isGreaterThanOrEqualTo(1);
            byte[] sealed = f.g.platform.database().read(c -> {
                try (var ps = c.prepareStatement("SELECT sealed_secret FROM subscription_secrets WHERE subscription_id = ?")) {
                    ps.setString(1, subId);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                }
            });
            assertThat(com.airotech.connect.secret.MasterKey.keyIdOf(sealed)).isEqualTo(result.masterKeyId());
            // a fresh start of the subscription opens the secret under the new master key
            DeliveryHoldIT.TestGatewayPatch.disable(f, subId);
            TestGateway.Response on = f.g.send(f.g.admin(f.t.token(), "/api/subscriptions/" + subId).header("Content-Type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")).build());
            assertThat(on.status()).isEqualTo(200);
            f.send("after-rotation");
            Await.until("a verified delivery", () -> rx.accepted().size() == 1, Duration.ofSeconds(10), () -> rx.seen.toString());
        }
    }

    static String[] range(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = prefix + i;
        return out;
    }
}
