package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What retention must keep for delivery ({@link com.airotech.connect.ingest.EventHold}), and what a
 * forced prune under the disk floor gives up: pending deliveries of pruned events fail with a reason,
 * the cursor moves past them, and the count of deliveries given up comes back for the audit.
 */
class DeliveryHoldIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void retentionKeepsWhatAnEnabledSubscriptionStillHasToDeliverAndAForcedPruneFailsItWithAReason() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of()); WebhookReceiver rx = new WebhookReceiver()) {
            AtomicBoolean up = new AtomicBoolean();
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(up.get() ? 200 : 503);
            DeliveryHold hold = f.g.platform.deliveryHold();
            String tenant = f.t.tenantId();
            assertThat(held(f, hold, tenant)).as("no subscription: nothing held").isEqualTo(Long.MAX_VALUE);
            f.send("before");
            String subId = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            long start = f.subscription(subId).get("delivered_through_seq").asLong();
            assertThat(held(f, hold, tenant)).as("a new subscription starts from now, holding the newest event").isEqualTo(start);

            for (int i = 0; i < 5; i++) f.send("e" + i);
            Await.until("e0 waiting for its retry", () -> f.delivery(subId, "e0") != null, WAIT);
            long e0 = f.delivery(subId, "e0").get("event_seq").asLong();
            assertThat(held(f, hold, tenant)).as("the delivery waiting for its retry, and everything after it").isLessThanOrEqualTo(e0);
            assertThat(held(f, hold, "tn_someone_else")).isEqualTo(Long.MAX_VALUE);

            long e3 = e0 + 3;
            up.set(true); // the target is back, but e0 waits for its retry (the clock stands still): the prune comes first
            long given = f.g.platform.database().write(w -> {
                long n = hold.release(w, tenant, e3);
                PreparedStatement del = w.prepare("DELETE FROM events WHERE tenant_id = ? AND seq < ?");
                del.setString(1, tenant);
                del.setLong(2, e3);
                del.executeUpdate();
                return n;
            });
            assertThat(given).as("e0's pending delivery and e1, e2 not yet attempted").isEqualTo(3);
            assertThat(held(f, hold, tenant)).isEqualTo(e3 - 1);
            Await.until("e0 failed with the reason", () -> f.delivery(subId, "e0").get("status").asText().equals("failed"), WAIT);
            assertThat(f.delivery(subId, "e0").get("last_error").asText()).contains("pruned").contains("free-space floor");
            assertThat(f.delivery(subId, "e0").get("event_id").asText()).as("a dead letter stays readable after its event is gone").isEqualTo("e0");

            Await.until("e3 and e4 delivered", () -> rx.deliveredBodies().stream().map(b -> Json.tree(b).get("event_id").asText()).toList()
                    .containsAll(java.util.List.of("e3", "e4")), WAIT, () -> rx.received.toString());

            TestGatewayPatch.disable(f, subId);
            assertThat(held(f, hold, tenant)).as("a disabled subscription holds nothing").isEqualTo(Long.MAX_VALUE);
        }
    }

    private static long held(DeliveryFixture f, DeliveryHold hold, String tenant) {
        return f.g.platform.database().read(c -> hold.lowestHeldSeq(c, tenant));
    }

    /** PATCH over HTTP, as an administrator does it. */
    static final class TestGatewayPatch {
        static JsonNode disable(DeliveryFixture f, String subId) {
            var r = f.g.send(f.g.admin(f.t.token(), "/api/subscriptions/" + subId).header("Content-Type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            return r.json();
        }
    }
}
