package com.airotech.connect.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TestGateway;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The per-connector summaries, the outbox counts and the pruning totals stay exact while senders
 * post and pruning removes by age and by the disk floor at the same time: every figure equals what
 * counting the log gives, and every accepted event is either stored or counted as pruned.
 */
class SummaryConcurrencyIT {
    @Test
    void summariesAndTotalsStayExactUnderConcurrentIngestAndPruning() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            gw.platform.pruner().close();
            List<RetentionIT.Sender> senders = new ArrayList<>();
            for (String tenant : List.of("north", "south")) {
                RetentionIT.Sender first = RetentionIT.Sender.register(gw, tenant);
                senders.add(first);
                var second = gw.register(first.tenant(), "api_key", null);
                senders.add(new RetentionIT.Sender(gw, first.tenant(), second.get("connector_id").asText(), second.get("webhook_path").asText(),
                        com.airotech.connect.testing.Signer.apiKey(second.get("credential").asText())));
            }
            for (RetentionIT.Sender s : List.of(senders.get(0), senders.get(2))) gw.platform.retention().setMaxAgeDays(s.tenant().principal(), 1);
            // a "day" of 40 ms: events fall out of retention while the senders are still posting; and a
            // disk (simulated) that is below the floor while more than 10 events are stored, in the rounds that use it
            AtomicBoolean lowDisk = new AtomicBoolean();
            StorageHealth health = new StorageHealth(gw.platform.database(), gw.dataDir, dir -> lowDisk.get()
                    && count(gw, "SELECT count(*) FROM events WHERE tenant_id <> ?", "") > 10
                    ? new DiskSpace.Usage(0, 100L << 30) : new DiskSpace.Usage(50L << 30, 100L << 30), Clock.systemUTC());
            Pruner pruner = new Pruner(gw.platform.database(), gw.platform.audit(), List.of(), health, Clock.systemUTC(),
                    new Pruner.Options(Duration.ofMillis(40), Duration.ofSeconds(10), 25, Duration.ofMillis(1)));

            Map<String, Instant> lastAccepted = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger forcedRounds = new AtomicInteger();
            AtomicInteger agedRounds = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(senders.size() + 1);
            List<Future<?>> posting = new ArrayList<>();
            for (RetentionIT.Sender s : senders) {
                posting.add(pool.submit(() -> {
                    // until pruning has removed while they posted, in both ways, a few times (at most 2,000 each)
                    for (int i = 0; i < 2000 && (i < 100 || forcedRounds.get() < 3 || agedRounds.get() < 3); i++) {
                        Instant at = s.postRetrying(i % 5 == 0 ? "alarm" : "reading", s.connectorId() + "-" + i, 200);
                        lastAccepted.merge(s.tenant().tenantId() + "/" + s.connectorId(), at, (x, y) -> x.isAfter(y) ? x : y);
                        accepted.computeIfAbsent(s.tenant().tenantId(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<?> pruning = pool.submit(() -> {
                // the disk is low in every other tenth of a second: between, events have time to age past the
                // 40 ms "day" before the floor takes them, on a fast machine as on a loaded one
                long t0 = System.nanoTime();
                while (sending.get()) {
                    lowDisk.set((System.nanoTime() - t0) / 100_000_000L % 2 == 1);
                    Pruner.Round r = pruner.runOnce();
                    if (r.forced() > 0) forcedRounds.incrementAndGet();
                    if (r.aged() > 0) agedRounds.incrementAndGet();
                }
                lowDisk.set(false);
                return null;
            });
            for (Future<?> f : posting) f.get();
            sending.set(false);
            pruning.get();
            pool.shutdown();

            assertThat(forcedRounds.get()).as("rounds that removed under the floor while senders posted").isPositive();
            assertThat(agedRounds.get()).as("rounds that removed by age while senders posted").isPositive();
            RetentionIT.assertSummariesExact(gw);
            for (RetentionIT.Sender s : senders) {
                assertThat(gw.platform.ingest().lastReceivedByConnector(s.tenant().principal()).get(s.connectorId()))
                        .as("last event of " + s.connectorId()).isEqualTo(lastAccepted.get(s.tenant().tenantId() + "/" + s.connectorId()));
            }
            for (Map.Entry<String, AtomicInteger> e : accepted.entrySet()) {
                long stored = count(gw, "SELECT count(*) FROM events WHERE tenant_id = ?", e.getKey());
                long pruned = count(gw, "SELECT coalesce(sum(pruned_total), 0) FROM retention_state WHERE tenant_id = ?", e.getKey());
                assertThat(stored + pruned).as("stored + pruned of " + e.getKey()).isEqualTo(e.getValue().get());
                assertThat(gw.platform.ingest().count(new com.airotech.connect.tenant.Principal(e.getKey(), "test"))).isEqualTo(stored);
            }
        }
    }

    private static long count(TestGateway gw, String sql, String tenantId) {
        return gw.platform.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
