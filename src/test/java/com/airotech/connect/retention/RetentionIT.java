package com.airotech.connect.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real gateway and a real SQLite file: events go by age per tenant, the tenant sets its
 * own age (audited) but never the operator's floor, and below the disk floor the oldest events go even
 * when unpublished, counted, audited and shown.
 */
class RetentionIT {
    /** An api_key connector of a new tenant, and how to post to it. */
    record Sender(TestGateway gw, TenantHandle tenant, String connectorId, String path, List<String> key) {
        static Sender register(TestGateway gw, String tenantName) {
            TenantHandle t = gw.tenant(tenantName);
            JsonNode c = gw.register(t, "api_key", null);
            return new Sender(gw, t, c.get("connector_id").asText(), c.get("webhook_path").asText(), Signer.apiKey(c.get("credential").asText()));
        }

        Instant post(String type, String eventId, int padBytes) {
            Response r = send(type, eventId, padBytes);
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            return Instant.parse(r.text("received_at"));
        }

        /**
         * As a sender does under load: a {@code 503} (the gateway shed load, nothing was stored) is sent
         * again, a little later, until it is stored.
         */
        Instant postRetrying(String type, String eventId, int padBytes) {
            for (int attempt = 0; attempt < 200; attempt++) {
                Response r = send(type, eventId, padBytes);
                if (r.status() != 503) {
                    assertThat(r.status()).as(r.raw()).isEqualTo(202);
                    return Instant.parse(r.text("received_at"));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20)); // the sender's backoff
            }
            throw new AssertionError(eventId + " refused with 503 two hundred times");
        }

        private Response send(String type, String eventId, int padBytes) {
            String body = "{\"event_type\":\"" + type + "\",\"event_id\":\"" + eventId + "\",\"data\":{\"pad\":\"" + "x".repeat(padBytes) + "\"}}";
            return gw.ingest(path, body.getBytes(StandardCharsets.UTF_8), key);
        }
    }

    static List<String> storedIds(TestGateway gw, String tenantId) {
        return gw.platform.database().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM events WHERE tenant_id = ? ORDER BY seq")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The maintained per-connector summary next to what counting the log gives: they must be equal. */
    static void assertSummariesExact(TestGateway gw) {
        Map<String, Long> summary = counts(gw, "SELECT tenant_id || '/' || connector_id || '/' || event_type, events FROM event_counts WHERE events > 0");
        Map<String, Long> counted = counts(gw, "SELECT tenant_id || '/' || connector_id || '/' || event_type, count(*) FROM events GROUP BY tenant_id, connector_id, event_type");
        assertThat(summary).as("event_counts against the log").isEqualTo(counted);
        Map<String, Long> outbox = counts(gw, "SELECT tenant_id, events FROM outbox_counts WHERE events > 0");
        Map<String, Long> outboxCounted = counts(gw, "SELECT e.tenant_id, count(*) FROM outbox o JOIN events e ON e.seq = o.event_seq GROUP BY e.tenant_id");
        assertThat(outbox).as("outbox_counts against the outbox").isEqualTo(outboxCounted);
    }

    static Map<String, Long> counts(TestGateway gw, String sql) {
        return gw.platform.database().read(c -> {
            Map<String, Long> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        });
    }

    static List<AuditEntry> audit(TestGateway gw, String tenantId, String action) {
        return gw.platform.audit().page(tenantId, new AuditQuery(null, null, action, null, null, null, 1000, null)).entries();
    }

    @Test
    void eventsPastTheirTenantsRetentionGoWhileYoungerOnesAndLongerRetentionsStay() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            gw.platform.pruner().close(); // this test runs the rounds itself
            Sender a = Sender.register(gw, "north");
            Sender b = Sender.register(gw, "south");
            assertThat(gw.send(gw.admin(b.tenant().token(), "/api/retention").header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"max_age_days\":90}")).build()).status()).isEqualTo(200);
            for (int i = 0; i < 10; i++) {
                a.post("door_open", "old-" + i, 100);
                b.post("door_open", "old-" + i, 100);
            }
            clock.advance(Duration.ofDays(2));
            for (int i = 0; i < 3; i++) a.post("door_open", "mid-" + i, 100);
            clock.advance(Duration.ofDays(29));
            Instant young = null;
            for (int i = 0; i < 5; i++) young = a.post("door_open", "young-" + i, 100);

            Pruner.Round round = gw.platform.pruner().runOnce();

            assertThat(round.aged()).isEqualTo(10);
            assertThat(storedIds(gw, a.tenant().tenantId())).as("29 days old stays, 31 days old went")
                    .containsExactly("mid-0", "mid-1", "mid-2", "young-0", "young-1", "young-2", "young-3", "young-4");
            assertThat(storedIds(gw, b.tenant().tenantId())).as("90 days are kept").hasSize(10);
            assertSummariesExact(gw);
            JsonNode status = gw.get(a.tenant().token(), "/api/status").json();
            assertThat(status.at("/tenant/events").asLong()).isEqualTo(8);
            assertThat(status.at("/tenant/retention/max_age_days").asInt()).isEqualTo(30);
            assertThat(status.at("/tenant/retention/events_pruned").asLong()).isEqualTo(10);
            assertThat(status.at("/tenant/retention/forced_pruned").asLong()).isZero();
            assertThat(Instant.parse(status.at("/tenant/retention/oldest_event_at").asText())).isEqualTo(clock.instant().minus(Duration.ofDays(29)));
            assertThat(status.at("/tenant/retention/last_prune_at").isNull()).isFalse();
            // the connector's last event is when it last delivered, kept as its events are pruned
            assertThat(gw.platform.ingest().lastReceivedByConnector(a.tenant().principal()).get(a.connectorId())).isEqualTo(young);
            assertThat(gw.get(b.tenant().token(), "/api/status").json().at("/tenant/retention/events_pruned").asLong()).isZero();

            // nothing more to do: a second round removes nothing and writes nothing
            assertThat(gw.platform.pruner().runOnce().events()).isZero();
        }
    }

    @Test
    void theNewestEventOfAllOutlivesItsRetentionSoThatNoSeqIsHandedOutTwice() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            gw.platform.pruner().close();
            Sender a = Sender.register(gw, "north");
            for (int i = 0; i < 3; i++) a.post("door_open", "old-" + i, 10);
            long newestSeq = gw.platform.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT max(seq) FROM events")) { return rs.getLong(1); }
            });
            clock.advance(Duration.ofDays(31));
            assertThat(gw.platform.pruner().runOnce().aged()).isEqualTo(2);
            assertThat(storedIds(gw, a.tenant().tenantId())).containsExactly("old-2");
            // a disk below the floor does not take it either
            gw.platform.storageHealth().useDiskSpace(dir -> new DiskSpace.Usage(0, 1L << 40));
            assertThat(gw.platform.pruner().runOnce().forced()).isZero();
            a.post("door_open", "next", 10);
            long nextSeq = gw.platform.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT seq FROM events WHERE event_id = 'next'")) { return rs.getLong(1); }
            });
            assertThat(nextSeq).as("after every seq handed out before").isGreaterThan(newestSeq);
        }
    }

    @Test
    void theTenantSetsItsRetentionOverTheApiButNotTheOperatorsFloorAndEveryChangeIsAudited() {
        try (TestGateway gw = TestGateway.start()) {
            TenantHandle t = gw.tenant("east");
            JsonNode shown = gw.get(t.token(), "/api/retention").json();
            assertThat(shown.get("max_age_days").asInt()).isEqualTo(30);
            assertThat(shown.get("min_free_disk_percent").asInt()).isEqualTo(10);
            assertThat(shown.get("audit_max_age_days").isNull()).isTrue();

            // what was read can be sent back with a new age: the operator's values unchanged are fine
            Response set = put(gw, t, "{\"max_age_days\":7,\"min_free_disk_percent\":10,\"audit_max_age_days\":null}");
            assertThat(set.status()).as(set.raw()).isEqualTo(200);
            assertThat(set.json().get("max_age_days").asInt()).isEqualTo(7);
            assertThat(gw.platform.retention().policy(t.tenantId()).maxAgeDays()).isEqualTo(7);

            Response floor = put(gw, t, "{\"max_age_days\":7,\"min_free_disk_percent\":1}");
            assertThat(floor.status()).isEqualTo(400);
            assertThat(floor.error()).isEqualTo("invalid_request");
            assertThat(floor.json().get("message").asText()).contains("retention set --min-free-disk-percent");
            assertThat(gw.platform.retention().site().minFreeDiskPercent()).isEqualTo(10);
            assertThat(put(gw, t, "{\"max_age_days\":7,\"audit_max_age_days\":1}").status()).isEqualTo(400);
            assertThat(put(gw, t, "{\"max_age_days\":0}").json().get("message").asText()).contains("between 1 and 36500");
            assertThat(put(gw, t, "{\"max_age_days\":\"30\"}").status()).isEqualTo(400);
            assertThat(put(gw, t, "{\"keep\":\"forever\"}").json().get("message").asText()).contains("'keep'");
            assertThat(put(gw, t, "{\"max_age_days\":").error()).isEqualTo("invalid_json");
            assertThat(gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/api/retention")).GET().build()).status()).isEqualTo(401);

            List<AuditEntry> changes = audit(gw, t.tenantId(), "retention.changed");
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).actor()).isEqualTo("ops@east");
            assertThat(changes.get(0).detail().get("setting").asText()).isEqualTo("max_age_days");
            assertThat(changes.get(0).detail().get("old").asInt()).isEqualTo(30);
            assertThat(changes.get(0).detail().get("new").asInt()).isEqualTo(7);
        }
    }

    private static Response put(TestGateway gw, TenantHandle t, String json) {
        return gw.send(gw.admin(t.token(), "/api/retention").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Copies the WAL into the database file, so that the file's size is what the database takes. */
    static void checkpoint(Path dbFile) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile); var s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("checkpoint not blocked").isZero();
            }
        }
    }

    /** A disk of {@code total} bytes on which everything but the database takes {@code other}. */
    static DiskSpace simulatedDisk(Path dbFile, long total, long other) {
        return dir -> new DiskSpace.Usage(Math.max(0, total - other - Files.size(dbFile)), total);
    }

    @Test
    void belowTheDiskFloorTheOldestEventsGoEvenUnpublishedAndEachRoundIsAuditedAndCounted() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) { closedPort = s.getLocalPort(); }
        Path dir = TestGateway.tempDir().resolve("data");
        // Kafka configured but unreachable: every event stays in the outbox, unpublished (short client
        // timeouts, so that the relay gives up its attempt at once when the gateway closes)
        Path kafka = Files.writeString(dir.resolveSibling("kafka.properties"), "default.api.timeout.ms=1000\nrequest.timeout.ms=500\n");
        try (TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1).withKafka("127.0.0.1:" + closedPort, kafka))) {
            gw.platform.pruner().close();
            Sender a = Sender.register(gw, "north");
            Sender b = Sender.register(gw, "south");
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                a.post("meter", "a-" + i, 3000);
                b.post("meter", "b-" + i, 3000);
                order.add("a-" + i);
                order.add("b-" + i);
            }
            Path dbFile = gw.platform.database().file();
            checkpoint(dbFile);
            long db0 = Files.size(dbFile);
            long total = 5 * db0;
            // 5 % free against a floor of 10 %: a quarter of the database has to go
            gw.platform.storageHealth().useDiskSpace(simulatedDisk(dbFile, total, (long) (total * 0.95) - db0));
            JsonNode before = gw.get(a.tenant().token(), "/api/status").json();
            assertThat(before.at("/gateway/storage/state").asText()).isEqualTo("below_disk_floor");
            assertThat(before.at("/gateway/storage/below_disk_floor").asBoolean()).isTrue();
            assertThat(before.at("/gateway/storage/disk_full").asBoolean()).isFalse();

            Pruner.Round round = gw.platform.pruner().runOnce();

            assertThat(round.forced()).isPositive();
            assertThat(round.forcedHeld()).as("every removed event was unpublished").isEqualTo(round.forced());
            assertThat(round.aged()).isZero();
            List<String> left = new ArrayList<>(storedIds(gw, a.tenant().tenantId()));
            left.addAll(storedIds(gw, b.tenant().tenantId()));
            int removed = order.size() - left.size();
            assertThat((long) removed).isEqualTo(round.forced());
            assertThat(left).as("the newest stay, the oldest went").containsExactlyInAnyOrderElementsOf(order.subList(removed, order.size()));
            assertThat(gw.platform.storageHealth().measure().effectiveFreePercent()).isGreaterThanOrEqualTo(10.0);
            assertSummariesExact(gw);

            long aRemoved = order.subList(0, removed).stream().filter(id -> id.startsWith("a-")).count();
            List<AuditEntry> entries = audit(gw, a.tenant().tenantId(), "events.pruned_unpublished");
            assertThat(entries).hasSize(1);
            JsonNode d = entries.get(0).detail();
            assertThat(entries.get(0).actor()).isEqualTo("system:retention");
            assertThat(d.get("count").asLong()).isEqualTo(aRemoved);
            assertThat(d.get("held_released").asLong()).isEqualTo(aRemoved);
            assertThat(d.get("reason").asText()).isEqualTo("disk_floor");
            assertThat(d.get("first_seq").asLong()).isLessThan(d.get("last_seq").asLong());
            assertThat(Instant.parse(d.get("first_received_at").asText())).isBeforeOrEqualTo(Instant.parse(d.get("last_received_at").asText()));
            assertThat(audit(gw, b.tenant().tenantId(), "events.pruned_unpublished")).hasSize(1);

            JsonNode after = gw.get(a.tenant().token(), "/api/status").json();
            assertThat(after.at("/tenant/retention/forced_pruned").asLong()).isEqualTo(aRemoved);
            assertThat(after.at("/tenant/retention/forced_held_released").asLong()).isEqualTo(aRemoved);
            assertThat(after.at("/tenant/outbox_depth").asLong()).isEqualTo(40 - aRemoved);
            assertThat(after.at("/gateway/storage/state").asText()).isEqualTo("ok");
            assertThat(after.at("/gateway/storage/min_free_disk_percent").asInt()).isEqualTo(10);

            // above the floor again: the next round removes nothing
            assertThat(gw.platform.pruner().runOnce().forced()).isZero();
        }
    }

    @Test
    void aDatabaseUpgradedWithEventsWaitsADayBeforePruningByAgeAndSaysWhen() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            gw.platform.pruner().close();
            Sender a = Sender.register(gw, "north");
            a.post("door_open", "old", 10);
            Instant from = clock.instant().plus(Duration.ofDays(32));
            clock.advance(Duration.ofDays(2));
            a.post("door_open", "newer", 10); // the newest event of all always stays
            // as V4 leaves a database that held events: pruning by age starts a day after the upgrade
            gw.platform.database().write(w -> {
                PreparedStatement ps = w.prepare("UPDATE retention_site SET age_pruning_from = ?");
                ps.setLong(1, from.toEpochMilli());
                ps.executeUpdate();
                return null;
            });
            clock.advance(Duration.ofDays(29));
            assertThat(gw.platform.pruner().runOnce().aged()).isZero();
            assertThat(gw.get(a.tenant().token(), "/api/status").json().at("/tenant/retention/age_pruning_from").asText())
                    .isEqualTo(com.airotech.connect.common.Times.format(from));
            clock.advance(Duration.ofDays(2));
            assertThat(gw.platform.pruner().runOnce().aged()).isEqualTo(1);
            assertThat(gw.get(a.tenant().token(), "/api/status").json().at("/tenant/retention/age_pruning_from").isNull()).isTrue();
        }
    }
}
