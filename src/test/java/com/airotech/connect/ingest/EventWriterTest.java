package com.airotech.connect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.store.Database;
import com.airotech.connect.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventWriterTest {
    private static Database open(Path file) {
        Database db = Database.open(file);
        db.write(w -> {
            try (Statement s = w.connection().createStatement()) {
                s.execute("INSERT INTO tenants (tenant_id, name, created_at) VALUES ('tn_a','a',0), ('tn_b','b',0)");
                s.execute("INSERT INTO connectors (tenant_id, connector_id, system_name, auth_method, created_at) VALUES "
                        + "('tn_a','cn_1','one','hmac',0), ('tn_a','cn_2','two','hmac',0), ('tn_b','cn_1','three','hmac',0)");
            }
            return null;
        });
        return db;
    }

    /** Rows across three connectors with event ids from a small space: repeats inside a batch and across batches. */
    private static List<EventWriter.Row> rows(int n, long seed) {
        Random r = new Random(seed);
        String[][] owners = {{"tn_a", "cn_1"}, {"tn_a", "cn_2"}, {"tn_b", "cn_1"}};
        List<EventWriter.Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] o = owners[r.nextInt(owners.length)];
            out.add(new EventWriter.Row(o[0], o[1], "ev-" + r.nextInt(60), "reading", r.nextBoolean() ? null : 1_000L * i, 5_000L + i,
                    "msg_" + i, ("{\"event_type\":\"reading\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<String> contents(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, tenant_id, connector_id, event_id, occurred_at, received_at, webhook_id, body FROM events ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getObject(5) + " "
                        + rs.getLong(6) + " " + rs.getString(7) + " " + new String(rs.getBytes(8), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The summary of the stored rows, as event_counts keeps it and as counting the log gives it: equal. */
    private static void assertSummaryExact(Database db) {
        String summary = "SELECT tenant_id || '/' || connector_id || '/' || event_type || ' ' || events || ' ' || last_received_at FROM event_counts"
                + " WHERE events > 0 ORDER BY 1";
        String counted = "SELECT tenant_id || '/' || connector_id || '/' || event_type || ' ' || count(*) || ' ' || max(received_at) FROM events"
                + " GROUP BY tenant_id, connector_id, event_type ORDER BY 1";
        assertThat(lines(db, summary)).as("event_counts against the log").isNotEmpty().isEqualTo(lines(db, counted));
    }

    private static List<String> lines(Database db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    @Test
    void repeatsInsideOneBatchAreDuplicatesOfTheFirstCopyAndTheSinkSeesEachStoredRow() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        List<EventWriter.Row> rows = rows(300, 42);
        Map<Long, String> sink = new ConcurrentHashMap<>();
        List<IngestResult> results = new ArrayList<>();
        try (Database db = open(file)) {
            EventWriter writer = new EventWriter((w, seq, tenant, at) -> sink.put(seq, tenant));
            List<CompletableFuture<IngestResult>> futures = new ArrayList<>();
            // hold the write lock while queueing, so the rows are committed in a few large batches
            try (var other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                for (EventWriter.Row r : rows) futures.add(db.submitPure(w -> writer.write(w, r)));
                s.execute("ROLLBACK");
            }
            for (CompletableFuture<IngestResult> f : futures) results.add(f.get(30, TimeUnit.SECONDS));
            // counted once per stored row, duplicates not at all, applied once per batch
            assertSummaryExact(db);
        }
        Map<String, Long> firstSeen = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            EventWriter.Row r = rows.get(i);
            Long first = firstSeen.putIfAbsent(r.tenantId() + "/" + r.connectorId() + "/" + r.eventId(), r.receivedAt());
            assertThat(results.get(i).duplicate()).as("row %d", i).isEqualTo(first != null);
            assertThat(results.get(i).receivedAt().toEpochMilli()).as("row %d", i).isEqualTo(first != null ? first : r.receivedAt());
        }
        List<String> stored = contents(file);
        assertThat(stored).hasSize(firstSeen.size());
        assertThat(sink).hasSize(firstSeen.size());
        for (String line : stored) {
            String[] f = line.split(" ");
            assertThat(sink.get(Long.parseLong(f[0]))).isEqualTo(f[1]);
        }
    }

    @Test
    void aRefusedRowInABatchFailsAloneAndTheOthersAreStored() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = open(file)) {
            EventWriter writer = new EventWriter(EventSink.NONE);
            List<CompletableFuture<IngestResult>> futures = new ArrayList<>();
            // hold the write lock so that every write below is queued, then committed as one batch
            try (var other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                for (int i = 0; i < 40; i++) {
                    // row 17 names a connector that does not exist: the foreign key refuses it
                    String connector = i == 17 ? "cn_missing" : "cn_1";
                    EventWriter.Row row = new EventWriter.Row("tn_a", connector, "ev-" + i, "reading", null, i, null, "{}".getBytes(StandardCharsets.UTF_8));
                    futures.add(db.submitPure(w -> writer.write(w, row)));
                }
                s.execute("ROLLBACK");
            }
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    assertThat(futures.get(i).get(30, TimeUnit.SECONDS).duplicate()).isFalse();
                } catch (ExecutionException e) {
                    failed.add(i);
                }
            }
            assertThat(failed).containsExactly(17);
            long stored = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(stored).isEqualTo(39);
            // the batch ran twice (all together, then one by one after row 17 failed): counted once
            assertSummaryExact(db);
        }
    }
}
