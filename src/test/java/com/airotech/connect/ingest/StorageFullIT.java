package com.airotech.connect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Full storage, as at a site whose disk filled up: SQLite's own SQLITE_FULL (here from a page
 * limit on the writer's connection, the same error a full disk gives). Senders get 503 with
 * Retry-After and nothing of theirs is kept; what was acknowledged before stays; the operator log
 * says what is wrong without a line per event; once there is room again, the retries go through.
 */
class StorageFullIT {
    private static byte[] bigEvent(String id) {
        String data = "x".repeat(3000);
        return ("{\"event_type\":\"meter\",\"event_id\":\"" + id + "\",\"data\":{\"blob\":\"" + data + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** An api_key connector of a new tenant, and how to post to it. */
    private record Sender(TestGateway gw, TenantHandle tenant, String path, List<String> key) {
        static Sender register(TestGateway gw, String tenantName) {
            TenantHandle t = gw.tenant(tenantName);
            JsonNode c = gw.register(t, "api_key", null);
            return new Sender(gw, t, c.get("webhook_path").asText(), Signer.apiKey(c.get("credential").asText()));
        }

        Response post(String eventId) { return gw.ingest(path, bigEvent(eventId), key); }
    }

    /** The answer to an event the store could not take: 503 unavailable, nothing internal in it. */
    private static void assertRefused(Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.error()).isEqualTo("unavailable");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.raw()).doesNotContain("SQLITE").doesNotContain("/tmp");
    }

    private static void limitPages(TestGateway gw, long extra) {
        gw.platform.database().write(w -> {
            long pages;
            try (ResultSet rs = w.prepare("PRAGMA page_count").executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
            }
            try (ResultSet rs = w.prepare("PRAGMA max_page_count=" + (pages + extra)).executeQuery()) {
                rs.next();
            }
            return null;
        });
    }

    private static long stored(TestGateway gw, String eventId) {
        return gw.platform.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void aFullStoreAnswers503KeepsNothingOfTheRefusedSaysSoOnceAndRecovers() {
        try (TestGateway gw = TestGateway.start(); LogCapture log = new LogCapture()) {
            Sender sender = Sender.register(gw, "full-disk");
            assertThat(sender.post("before").status()).isEqualTo(202);

            limitPages(gw, 0);
            List<String> refused = new ArrayList<>();
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = "during-" + i;
                Response r = sender.post(id);
                if (r.status() == 202) {
                    accepted.add(id);
                } else {
                    assertRefused(r);
                    refused.add(id);
                }
            }
            assertThat(refused).as("a full store refuses").hasSizeGreaterThan(50);
            for (String id : refused) assertThat(stored(gw, id)).as(id).isZero();
            for (String id : accepted) assertThat(stored(gw, id)).as(id).isOne();
            assertThat(stored(gw, "before")).isOne();

            // the operator is told what is wrong, and not once per refused event
            String text = log.text();
            long lines = text.lines().filter(l -> l.contains("database or disk is full")).count();
            assertThat(text).contains("free space");
            assertThat(lines).as("log lines naming the full store").isBetween(1L, 3L);

            // room again: the senders' retries are stored
            limitPages(gw, 1_000_000);
            for (String id : refused) {
                Response r = sender.post(id);
                assertThat(r.status()).as(r.raw()).isEqualTo(202);
                assertThat(stored(gw, id)).isOne();
            }
            assertThat(gw.get(sender.tenant().token(), "/api/events?limit=1000").json().get("events")).hasSize(1 + accepted.size() + refused.size());
        }
    }

    private static void failInserts(TestGateway gw, boolean fail) {
        gw.platform.database().write(w -> {
            w.prepare(fail ? "CREATE TEMP TRIGGER io_failure BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END"
                    : "DROP TRIGGER temp.io_failure").execute();
            return null;
        });
    }

    @Test
    void anEventTheStoreRefusesIs503AndTheFailureIsLoggedOnceNotPerEvent() {
        try (TestGateway gw = TestGateway.start(); LogCapture log = new LogCapture()) {
            Sender sender = Sender.register(gw, "failing-store");
            failInserts(gw, true);
            for (int i = 0; i < 40; i++) {
                Response r = sender.post("io-" + i);
                assertRefused(r);
                assertThat(r.raw()).doesNotContain("simulated");
            }
            long lines = log.text().lines().filter(l -> l.contains("could not be stored")).count();
            assertThat(lines).as("log lines for 40 failed events").isBetween(1L, 2L);
            assertThat(log.text()).contains("simulated storage failure");

            failInserts(gw, false);
            assertThat(sender.post("io-0").status()).isEqualTo(202);
            assertThat(stored(gw, "io-0")).isOne();
            assertThat(stored(gw, "io-1")).isZero();
        }
    }

    @Test
    void aTransactionTheStoreCannotStartIs503AndLoggedOnceNotPerBatch() {
        try (TestGateway gw = TestGateway.start(); LogCapture log = new LogCapture()) {
            Sender sender = Sender.register(gw, "readonly-store");
            // every write transaction is refused (SQLITE_READONLY), as on a disk remounted read-only
            gw.platform.database().write(w -> {
                w.prepare("PRAGMA query_only=ON").execute();
                return null;
            });
            for (int i = 0; i < 40; i++) {
                Response r = sender.post("ro-" + i);
                assertRefused(r);
                assertThat(r.raw()).doesNotContain("readonly");
            }
            long lines = log.text().lines().filter(l -> l.contains("readonly database")).count();
            assertThat(lines).as("log lines for 40 refused commits").isBetween(1L, 2L);
            // each later batch met the store's own error, not a statement spoiled by the first
            assertThat(log.text()).doesNotContain("statement is not executing");
        }
    }
}
