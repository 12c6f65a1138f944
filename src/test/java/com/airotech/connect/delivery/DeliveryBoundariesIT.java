package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a subscription may not do: name another tenant's connectors, connections, subscriptions or
 * deliveries (404, never a hint), reach an address outside the tenant's outbound policy (refused
 * when created, and on every attempt when the policy changes later), or carry malformed fields.
 */
class DeliveryBoundariesIT {
    @Test
    void anotherTenantsTargetsSubscriptionsAndDeliveriesAreNotFound() {
        try (DeliveryFixture f = DeliveryFixture.start(); WebhookReceiver rx = new WebhookReceiver()) {
            String target = f.targetConnector(rx.url("/a"));
            JsonNode sub = f.subscribeTo(target);
            String subId = sub.get("subscription_id").asText();
            f.send("e0");
            Await.until("delivered", () -> rx.deliveredBodies().size() == 1, Duration.ofSeconds(10));
            String deliveryId = rx.received.get(0).webhookId();
            Await.until("the delivery recorded", () -> f.g.get(f.t.token(), "/api/deliveries/" + deliveryId).status() == 200, Duration.ofSeconds(10));
            String cx = f.g.postJson(f.t.token(), "/api/connections", "{\"name\":\"bms\",\"kind\":\"none\",\"base_url\":\"" + rx.url("") + "\"}")
                    .text("connection_id");

            TestGateway.TenantHandle other = f.g.tenant("other");
            f.allowLoopback(other);
            String own = f.g.register(other, "api_key", "\"webhook_url\":\"" + rx.url("/b") + "\"").get("connector_id").asText();
            List<TestGateway.Response> refused = List.of(
                    f.g.postJson(other.token(), "/api/subscriptions", "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + target + "\"}}"),
                    f.g.postJson(other.token(), "/api/subscriptions", "{\"name\":\"x\",\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/in\"}}"),
                    f.g.postJson(other.token(), "/api/subscriptions", "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + own + "\"},\"source_connectors\":[\""
                            + f.source.get("connector_id").asText() + "\"]}"),
                    f.g.get(other.token(), "/api/subscriptions/" + subId),
                    f.g.send(f.g.admin(other.token(), "/api/subscriptions/" + subId).header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build()),
                    f.g.delete(other.token(), "/api/subscriptions/" + subId),
                    f.g.postJson(other.token(), "/api/subscriptions/" + subId + "/rotate-secret", ""),
                    f.g.get(other.token(), "/api/subscriptions/" + subId + "/deliveries"),
                    f.g.postJson(other.token(), "/api/subscriptions/" + subId + "/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}"),
                    f.g.get(other.token(), "/api/deliveries/" + deliveryId),
                    f.g.postJson(other.token(), "/api/deliveries/" + deliveryId + "/retry", ""));
            for (TestGateway.Response r : refused) {
                assertThat(r.status()).as(r.raw()).isEqualTo(404);
                assertThat(r.error()).isEqualTo("not_found");
                assertThat(r.raw()).doesNotContain(f.t.tenantId());
            }
            assertThat(f.g.get(other.token(), "/api/subscriptions").json().get("subscriptions")).isEmpty();
            assertThat(f.subscription(subId).get("enabled").asBoolean()).as("nothing changed for its owner").isTrue();
            assertThat(f.g.get(f.t.token(), "/api/deliveries/" + deliveryId).status()).isEqualTo(200);
            assertThat(f.g.get(f.t.token(), "/api/subscriptions").json().get("subscriptions")).hasSize(1);
        }
    }

    @Test
    void aTargetOutsideTheOutboundPolicyIsRefusedWhenCreatedAndOnEveryAttemptAfterThePolicyChanges() {
        try (DeliveryFixture f = DeliveryFixture.start(); WebhookReceiver rx = new WebhookReceiver()) {
            String metadata = f.g.register(f.t, "api_key", "\"webhook_url\":\"http://169.254.169.254/latest/meta-data/iam\"").get("connector_id").asText();
            TestGateway.Response ssrf = f.g.postJson(f.t.token(), "/api/subscriptions", "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + metadata + "\"}}");
            assertThat(ssrf.status()).as(ssrf.raw()).isEqualTo(400);
            assertThat(ssrf.error()).isEqualTo("invalid_request");
            assertThat(ssrf.text("message")).contains("outbound address policy").contains("169.254.169.254");

            String subId = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            f.send("e0");
            Await.until("delivered while allowed", () -> rx.deliveredBodies().size() == 1, Duration.ofSeconds(10));
            f.g.platform.connections().changePolicy(f.t.principal(), List.of("10.99.0.0/16"), List.of("127.0.0.1/32", "127.0.0.0/8", "::1/128"), false);
            f.send("e1");
            Await.until("a refused attempt", () -> {
                JsonNode d = f.delivery(subId, "e1");
                return d != null && d.get("attempts").size() == 1;
            }, Duration.ofSeconds(10));
            JsonNode attempt = f.delivery(subId, "e1").get("attempts").get(0);
            assertThat(attempt.get("error").asText()).isEqualTo("address_refused");
            assertThat(attempt.get("status_code").isNull()).isTrue();
            assertThat(attempt.get("detail").asText()).contains("connections policy --tenant " + f.t.tenantId());
            assertThat(rx.received).as("nothing reached the address once the policy stopped allowing it").hasSize(1);
        }
    }

    @Test
    void deletingASubscriptionStopsItAndLeavesNoDeliveryBehind() {
        try (DeliveryFixture f = DeliveryFixture.start(); WebhookReceiver rx = new WebhookReceiver()) {
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(500);
            String subId = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            for (int i = 0; i < 5; i++) f.send("e" + i);
            Await.until("a delivery waiting for its retry", () -> f.delivery(subId, "e0") != null, Duration.ofSeconds(10));
            TestGateway.Response deleted = f.g.delete(f.t.token(), "/api/subscriptions/" + subId);
            assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
            Await.until("its runner to stop", () -> !f.g.platform.dispatcher().running().contains(subId), Duration.ofSeconds(10));
            long rows = f.g.platform.database().read(c -> {
                try (var ps = c.prepareStatement("SELECT (SELECT count(*) FROM deliveries WHERE subscription_id = ?) + (SELECT count(*) FROM delivery_attempts"
                        + " WHERE subscription_id = ?) + (SELECT count(*) FROM delivery_log WHERE subscription_id = ?)")) {
                    for (int i = 1; i <= 3; i++) ps.setString(i, subId);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertThat(rows).as("rows, attempts and log of the deleted subscription").isZero();
            assertThat(f.g.get(f.t.token(), "/api/subscriptions/" + subId).status()).isEqualTo(404);
            assertThat(f.g.get(f.t.token(), "/api/audit?action=subscription.deleted").json().get("entries")).hasSize(1);
        }
    }

    @Test
    void malformedSubscriptionsAreRefusedNamingTheField() {
        try (DeliveryFixture f = DeliveryFixture.start()) {
            String noUrl = f.g.register(f.t, "api_key", null).get("connector_id").asText();
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + noUrl + "\"}}", "webhook_url");
            assertRefused(f, "{\"target\":{\"connector_id\":\"" + noUrl + "\"}}", "'name'");
            assertRefused(f, "{\"name\":\"x\"}", "'target'");
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connector_id\":\"a\",\"connection_id\":\"b\"}}", "exactly one");
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connection_id\":\"cx_1\",\"path\":\"no-slash\"}}", "target.path");
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connection_id\":\"cx_1\",\"path\":\"/in\",\"method\":\"GET\"}}", "target.method");
            assertRefused(f, "{\"name\":\"x\",\"event_types\":[\"Bad Type\"],\"target\":{\"connector_id\":\"" + noUrl + "\"}}", "event_types");
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + noUrl + "\"},\"start_from\":\"yesterday\"}", "start_from");
            assertRefused(f, "{\"name\":\"x\",\"target\":{\"connector_id\":\"" + noUrl + "\"},\"secret\":\"whsec_mine\"}", "'secret'");
            TestGateway.Response notJson = f.g.send(f.g.admin(f.t.token(), "/api/subscriptions").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(notJson.status()).isEqualTo(415);
            assertThat(f.g.get(f.t.token(), "/api/subscriptions").json().get("subscriptions")).isEmpty();
        }
    }

    private static void assertRefused(DeliveryFixture f, String json, String named) {
        TestGateway.Response r = f.g.postJson(f.t.token(), "/api/subscriptions", json);
        assertThat(r.status()).as(json + " → " + r.raw()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("invalid_request");
        assertThat(r.text("message")).contains(named);
    }
}
