package com.airotech.connect.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Storage health on {@code /api/status} and {@code /metrics}: sizes and free space, and the two
 * reasons a sender gets 503 told apart: the writer at capacity, and a full disk (SQLITE_FULL).
 */
class StorageHealthIT {
    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String metrics(TestGateway gw) { return gw.send(HttpRequest.newBuilder(gw.uri("/metrics")).GET().build()).raw(); }

    @Test
    void statusAndMetricsShowSizesFreeSpaceAndTellAtCapacityFromDiskFull() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            TestGateway.TenantHandle t = gw.tenant("north");
            JsonNode c = gw.register(t, "api_key", null);
            String path = c.get("webhook_path").asText();
            var key = Signer.apiKey(c.get("credential").asText());
            assertThat(gw.ingest(path, Signer.event("meter", "first"), key).status()).isEqualTo(202);

            JsonNode storage = gw.get(t.token(), "/api/status").json().at("/gateway/storage");
            assertThat(storage.get("state").asText()).isEqualTo("ok");
            assertThat(storage.get("database_bytes").asLong()).isPositive();
            assertThat(storage.get("wal_bytes").asLong()).isNotNegative();
            assertThat(storage.get("data_dir_bytes").asLong()).isGreaterThanOrEqualTo(storage.get("database_bytes").asLong());
            assertThat(storage.get("free_bytes").asLong()).isPositive().isLessThanOrEqualTo(storage.get("total_bytes").asLong());
            assertThat(storage.get("free_percent").asDouble()).isBetween(0.0, 100.0);
            assertThat(storage.get("min_free_disk_percent").asInt()).isEqualTo(10);
            JsonNode retention = gw.get(t.token(), "/api/status").json().at("/tenant/retention");
            assertThat(retention.get("max_age_days").asInt()).isEqualTo(30);
            assertThat(retention.get("oldest_event_at").isNull()).isFalse();

            String text = metrics(gw);
            assertThat(metric(text, "airotech_storage_database_bytes")).isPositive();
            assertThat(metric(text, "airotech_storage_wal_bytes")).isNotNegative();
            assertThat(metric(text, "airotech_storage_free_bytes")).isPositive();
            assertThat(metric(text, "airotech_unavailable_total{reason=\"disk_full\"}")).isZero();
            assertThat(metric(text, "airotech_unavailable_total{reason=\"at_capacity\"}")).isZero();

            // at capacity: the writer is held, the queue's oldest write waits longer than allowed
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> held = gw.platform.database().submit(w -> {
                running.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Object> queued = gw.platform.database().submit(w -> null);
            Await.until("a write waiting behind the held one", () -> gw.platform.database().queueDepth() == 1, Duration.ofSeconds(10));
            gw.platform.database().setMaxQueueDelay(Duration.ZERO);
            TestGateway.Response busy = gw.ingest(path, Signer.event("meter", "busy"), key);
            assertThat(busy.status()).as(busy.raw()).isEqualTo(503);
            JsonNode whileBusy = gw.get(t.token(), "/api/status").json().at("/gateway/storage");
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
            queued.get(10, TimeUnit.SECONDS);
            gw.platform.database().setMaxQueueDelay(Duration.ofMillis(50));
            assertThat(whileBusy.get("state").asText()).isEqualTo("at_capacity");
            assertThat(whileBusy.get("at_capacity").asBoolean()).isTrue();
            assertThat(whileBusy.get("disk_full").asBoolean()).isFalse();
            assertThat(metric(metrics(gw), "airotech_unavailable_total{reason=\"at_capacity\"}")).isGreaterThanOrEqualTo(1);

            // disk full: SQLite refuses the write (a page limit gives the same SQLITE_FULL as a full disk)
            gw.platform.database().write(w -> {
                long pages;
                try (ResultSet rs = w.prepare("PRAGMA page_count").executeQuery()) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                try (ResultSet rs = w.prepare("PRAGMA max_page_count=" + pages).executeQuery()) {
                    rs.next();
                }
                return null;
            });
            String big = "{\"event_type\":\"meter\",\"data\":{\"blob\":\"" + "x".repeat(20_000) + "\"}}";
            TestGateway.Response full = gw.ingest(path, big.getBytes(StandardCharsets.UTF_8), key);
            assertThat(full.status()).as(full.raw()).isEqualTo(503);
            JsonNode whenFull = gw.get(t.token(), "/api/status").json().at("/gateway/storage");
            assertThat(whenFull.get("state").asText()).isEqualTo("disk_full");
            assertThat(whenFull.get("disk_full").asBoolean()).isTrue();
            String after = metrics(gw);
            assertThat(metric(after, "airotech_unavailable_total{reason=\"disk_full\"}")).isGreaterThanOrEqualTo(1);
            assertThat(metric(after, "airotech_unavailable_total{reason=\"at_capacity\"}"))
                    .as("a full disk is not counted as capacity").isEqualTo(metric(metrics(gw), "airotech_unavailable_total{reason=\"at_capacity\"}"));
        }
    }
}
