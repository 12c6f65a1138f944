package com.airotech.connect.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.KafkaBroker;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Kafka outbox holds what it has not published: retention waits for it, with a real broker stopped and started again. */
class RetentionHoldsKafkaIT {
    @Test
    void unpublishedEventsSurviveRetentionWhileTheBrokerIsDownAndGoOnceKafkaHasThem() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        try (KafkaBroker broker = KafkaBroker.start()) {
            Path dir = TestGateway.tempDir().resolve("data");
            Path props = Files.writeString(dir.resolveSibling("kafka.properties"), "default.api.timeout.ms=2000\nrequest.timeout.ms=1000\n"
                    + "max.block.ms=1000\ndelivery.timeout.ms=2000\nlinger.ms=1\n");
            try (TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1).withClock(clock).withKafka(broker.bootstrap(), props))) {
                gw.platform.pruner().close(); // this test runs the rounds itself
                RetentionIT.Sender s = RetentionIT.Sender.register(gw, "north");
                for (int i = 0; i < 5; i++) s.post("door_open", "early-" + i, 100);
                Await.until("the first five published", () -> gw.platform.relay().publishedTotal() >= 5, Duration.ofSeconds(30));

                broker.stop();
                for (int i = 0; i < 5; i++) s.post("door_open", "late-" + i, 100);
                assertThat(gw.get(s.tenant().token(), "/api/status").json().at("/tenant/outbox_depth").asLong()).isEqualTo(5);

                clock.advance(Duration.ofDays(31));
                Pruner.Round held = gw.platform.pruner().runOnce();
                assertThat(held.aged()).as("only what Kafka acknowledged").isEqualTo(5);
                assertThat(held.forced()).isZero();
                assertThat(RetentionIT.storedIds(gw, s.tenant().tenantId())).containsExactly("late-0", "late-1", "late-2", "late-3", "late-4");
                assertThat(RetentionIT.audit(gw, s.tenant().tenantId(), "events.pruned_unpublished")).isEmpty();
                RetentionIT.assertSummariesExact(gw);

                broker.startAgain();
                Await.until("the rest published once the broker is back", () -> gw.platform.relay().publishedTotal() >= 10, Duration.ofSeconds(60));
                // all but the newest event of all, which always stays
                assertThat(gw.platform.pruner().runOnce().aged()).isEqualTo(4);
                assertThat(RetentionIT.storedIds(gw, s.tenant().tenantId())).containsExactly("late-4");
                RetentionIT.assertSummariesExact(gw);
                assertThat(broker.readAll(List.of("airotech." + s.tenant().tenantId() + ".door_open"), 10, Duration.ofSeconds(20)))
                        .as("every event reached Kafka before it was pruned").hasSizeGreaterThanOrEqualTo(10);
            }
        }
    }
}
