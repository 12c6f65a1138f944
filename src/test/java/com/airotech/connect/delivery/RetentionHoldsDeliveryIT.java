package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.retention.DiskSpace;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.WebhookReceiver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pruner with delivery's hold: events an enabled subscription has still to deliver outlive their
 * retention; the disk floor removes them anyway, and the deliveries it gives up are counted in the
 * audit entry and fail with the reason.
 */
class RetentionHoldsDeliveryIT {
    private static List<String> stored(DeliveryFixture f) {
        return f.g.platform.database().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM events WHERE tenant_id = ? ORDER BY seq")) {
                ps.setString(1, f.t.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Test
    void undeliveredEventsOutliveTheirRetentionUntilTheDiskFloorTakesThemAndSaysSo() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of()); WebhookReceiver rx = new WebhookReceiver()) {
            f.g.platform.pruner().close(); // this test runs the rounds itself
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(503); // the target is down: nothing is delivered
            f.send("before");
            String sub = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            for (int i = 0; i < 5; i++) f.send("e" + i);
            Await.until("e0 waiting for its retry", () -> f.delivery(sub, "e0") != null, Duration.ofSeconds(15));

            clock.advance(Duration.ofDays(31));
            assertThat(f.g.platform.pruner().runOnce().forced()).isZero();
            // "before" was delivered to no one (sent before the subscription) and goes; the rest is held
            assertThat(stored(f)).containsExactly("e0", "e1", "e2", "e3", "e4");

            // below the floor (a simulated full disk): held or not, all but the newest event of all go
            f.g.platform.storageHealth().useDiskSpace(dir -> new DiskSpace.Usage(0, 1L << 40));
            var round = f.g.platform.pruner().runOnce();
            assertThat(round.forced()).isEqualTo(4);
            assertThat(round.forcedHeld()).as("deliveries given up").isGreaterThanOrEqualTo(4);
            assertThat(stored(f)).containsExactly("e4");
            List<AuditEntry> audited = f.g.platform.audit().page(f.t.tenantId(),
                    new AuditQuery(null, null, "events.pruned_unpublished", null, null, null, 10, null)).entries();
            assertThat(audited).hasSize(1);
            assertThat(audited.get(0).detail().get("count").asLong()).isEqualTo(4);
            assertThat(audited.get(0).detail().get("holds").asText()).contains("delivery");
            Await.until("e0's delivery failed with the reason", () -> f.delivery(sub, "e0").get("status").asText().equals("failed"), Duration.ofSeconds(15));
            assertThat(f.delivery(sub, "e0").get("last_error").asText()).contains("pruned");
        }
    }
}
