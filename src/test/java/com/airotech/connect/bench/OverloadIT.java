package com.airotech.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Overload, bounded: the gateway's writer runs one commit per request and is slowed by 4 ms after
 * each commit, a slow disk played on purpose, so its capacity (about 200 events/s) is fixed by the
 * test and sits well below what the HTTP side and the load generator can do. The database lives
 * in memory-backed /dev/shm where there is one: the shared machine's real fsync stalls would
 * otherwise decide the tail latency (durability on a real disk is the crash loop's subject). The sustainable rate is measured, then twice that rate
 * is offered open loop.
 * What the gateway cannot take must be refused at once with Retry-After, the accepted requests
 * must stay fast, and every acknowledged event must be stored.
 */
class OverloadIT {
    @Test
    void atTwiceTheSustainableRateTheExcessIsRefusedWithRetryAfterAndAcceptedEventsStayFastAndStored() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path dir = (Files.isDirectory(shm) && Files.isWritable(shm) ? com.airotech.connect.testing.TempDirs.create(shm, "airotech-overload") : TestGateway.tempDir()).resolve("data");
        TestGateway gw;
        System.setProperty("airotech.writer.maxBatch", "1");
        try {
            gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1));
        } finally {
            System.clearProperty("airotech.writer.maxBatch");
        }
        try (AutoCloseable cleanup = () -> com.airotech.connect.testing.TempDirs.deleteTree(dir.getParent()); TestGateway running = gw) {
            gw.platform.database().setStats((ops, nanos) -> {
                try {
                    Thread.sleep(4); // the slow disk: a throttle, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            TestGateway.TenantHandle t = gw.tenant("overload");
            JsonNode reg = gw.register(t, "api_key", null);
            String path = reg.get("webhook_path").asText();
            String key = reg.get("credential").asText();

            LoadGenerator.Result sustained = new LoadGenerator("127.0.0.1", gw.port(), 16, requests(gw.port(), path, key, "warm"))
                    .closedLoop(1_000, 3_000);
            assertThat(sustained.errors()).isZero();
            double rate = sustained.rate();

            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            LoadGenerator.Result over = new LoadGenerator("127.0.0.1", gw.port(), 256, requests(gw.port(), path, key, "over"))
                    .onAnswer((seq, status) -> { if (status == 202 || status == 200) acknowledged.add(seq); })
                    .openLoop(500, 8_000, 2 * rate);
            System.out.printf("overload: sustainable %.0f/s, offered %.0f/s: accepted %.0f/s, refused %d, unsent %d, accepted p50 %.1f ms p99 %.1f ms%n",
                    rate, over.offered(), over.rate(), over.shed(), over.unsent(), over.p50Micros() / 1000.0, over.p99Micros() / 1000.0);

            assertThat(over.errors()).as("errors other than 503/429: %s", over.firstError()).isZero();
            assertThat(over.shed()).as("requests refused with 503/429").isPositive();
            assertThat(over.retryAfterMissing()).as("refusals without Retry-After").isZero();
            assertThat(over.p99Micros()).as("accepted p99 (µs)").isLessThan(250_000);
            assertThat(acknowledged).isNotEmpty();

            Set<String> stored = new HashSet<>(gw.platform.database().read(c -> {
                Set<String> ids = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM events WHERE event_id LIKE 'over-%'"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                return ids;
            }));
            for (long seq : acknowledged) assertThat(stored).contains("over-" + seq);

            // recovery: once the excess stops, senders are served again within 10 s
            long deadline = System.nanoTime() + 10_000_000_000L;
            int attempt = 0;
            TestGateway.Response first;
            do {
                first = gw.ingest(path, Bench.body("recover-" + attempt++), List.of("X-Api-Key", key));
            } while (first.status() != 202 && System.nanoTime() < deadline);
            assertThat(first.status()).as("served again within 10 s of the overload").isEqualTo(202);
            LoadGenerator.Result after = new LoadGenerator("127.0.0.1", gw.port(), 16, requests(gw.port(), path, key, "after")).closedLoop(0, 2_000);
            assertThat(after.errors()).isZero();
            assertThat(after.rate()).as("throughput after the overload").isGreaterThan(0.5 * rate);
        }
    }

    private static LoadGenerator.RequestFactory requests(int port, String path, String apiKey, String tag) {
        return n -> {
            byte[] body = Bench.body(tag + "-" + n);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nX-Api-Key: " + apiKey + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] req = new byte[h.length + body.length];
            System.arraycopy(h, 0, req, 0, h.length);
            System.arraycopy(body, 0, req, h.length, body.length);
            return req;
        };
    }
}
