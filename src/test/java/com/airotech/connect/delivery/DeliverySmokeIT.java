package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliverySmokeIT {
    @Test
    void eventsReachAConnectorsWebhookUrlInOrderSigned() throws Exception {
        try (TestGateway g = TestGateway.start(); WebhookReceiver rx = new WebhookReceiver()) {
            TestGateway.TenantHandle t = g.tenant("acme");
            g.platform.connections().changePolicy(t.principal(), List.of("127.0.0.1/32"), null, false);
            JsonNode source = g.register(t, "hmac", null);
            JsonNode target = g.register(t, "api_key", "\"webhook_url\":\"" + rx.url("/hooks") + "\"");
            TestGateway.Response created = g.postJson(t.token(), "/api/subscriptions",
                    "{\"name\":\"to-target\",\"target\":{\"connector_id\":\"" + target.get("connector_id").asText() + "\"}}");
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String secret = created.text("signing_secret");
            for (int i = 0; i < 20; i++) {
                byte[] body = Signer.event("door_open", "e" + i);
                assertThat(g.ingest(source.get("webhook_path").asText(), body, Signer.hmac(source.get("credential").asText(), body)).status()).isEqualTo(202);
            }
            Await.until("20 deliveries", () -> rx.deliveredBodies().size() >= 20, Duration.ofSeconds(20));
            for (int i = 0; i < 20; i++) {
                WebhookReceiver.Received r = rx.received.get(i);
                JsonNode b = Json.tree(r.body());
                assertThat(b.get("event_id").asText()).isEqualTo("e" + i);
                StandardWebhooks.Headers h = new StandardWebhooks.Headers(r.webhookId(), Long.parseLong(r.timestamp()), StandardWebhooks.parseSignatures(r.signature()));
                assertThat(StandardWebhooks.verifyHmac(StandardWebhooks.decodeSecret(secret), h, r.body())).isTrue();
            }
            String id = created.text("subscription_id");
            Await.until("the listing", () -> g.get(t.token(), "/api/subscriptions/" + id + "/deliveries?status=delivered").json().get("deliveries").size() == 20,
                    Duration.ofSeconds(5));
            System.out.println(g.get(t.token(), "/api/subscriptions/" + id).raw());
            System.out.println(new String(g.get(t.token(), "/api/subscriptions/" + id + "/deliveries?limit=2").raw().getBytes(StandardCharsets.UTF_8)));
        }
    }
}
