package com.airotech.connect.bench;

import com.airotech.connect.store.Database;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * What schema 4 costs the writer per stored event, SQLite alone (no HTTP, no signatures): the same
 * group-commit writer and statements as ingest, with and without the per-connector summary upsert
 * and the two listing indexes, in alternating rounds on fresh databases. The writer thread's CPU
 * time per event is the figure; wall time is noisier on a shared machine. Prints a table
 * (bench/README.md records it). Run: {@code bench/writer-cost.sh}.
 */
public final class WriterCost {
    private static final String INSERT = "INSERT INTO events (tenant_id, connector_id, event_id, event_type, occurred_at, received_at, webhook_id, body)"
            + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id, connector_id, event_id) DO NOTHING RETURNING seq";
    private static final String SUMMARY = "INSERT INTO event_counts (tenant_id, connector_id, event_type, events, last_received_at) VALUES (?,?,?,1,?)"
            + " ON CONFLICT (tenant_id, connector_id, event_type) DO UPDATE SET events = events + 1,"
            + " last_received_at = max(coalesce(last_received_at, 0), excluded.last_received_at)";

    /** How the summary is kept: not at all, an upsert per event, an update (then insert) per event, or deferred to the batch's end as EventCounts does. */
    enum Summary { NONE, UPSERT, UPDATE_FIRST, DEFERRED }

    record Variant(String name, Summary summary, boolean indexes, boolean incrementalVacuum) {}

    private static final String DEFERRED_CHANGE = "UPDATE event_counts SET events = events + ?,"
            + " last_received_at = CASE WHEN ? IS NULL THEN last_received_at ELSE max(coalesce(last_received_at, 0), ?) END"
            + " WHERE tenant_id = ? AND connector_id = ? AND event_type = ?";

    /** The same statements as EventCounts: one batch's events summed per connector and type, applied before the commit. */
    private static final com.airotech.connect.store.WriteContext.Summary DEFERRED = (w, records) -> {
        java.util.Map<String, long[]> sums = new java.util.LinkedHashMap<>();
        for (Object o : records) {
            String[] k = (String[]) o;
            long[] t = sums.computeIfAbsent(k[0] + "\u0000" + k[1], x -> new long[] {0, Long.MIN_VALUE});
            t[0]++;
            t[1] = Math.max(t[1], Long.parseLong(k[2]));
        }
        for (var e : sums.entrySet()) {
            String[] k = e.getKey().split("\u0000");
            PreparedStatement up = w.prepare(DEFERRED_CHANGE);
            up.setLong(1, e.getValue()[0]);
            up.setLong(2, e.getValue()[1]);
            up.setLong(3, e.getValue()[1]);
            up.setString(4, "tn_bench");
            up.setString(5, k[0]);
            up.setString(6, k[1]);
            if (up.executeUpdate() == 0) {
                PreparedStatement ins = w.prepare("INSERT INTO event_counts (tenant_id, connector_id, event_type, events, last_received_at) VALUES (?,?,?,?,?)");
                ins.setString(1, "tn_bench");
                ins.setString(2, k[0]);
                ins.setString(3, k[1]);
                ins.setLong(4, e.getValue()[0]);
                ins.setLong(5, e.getValue()[1]);
                ins.executeUpdate();
            }
        }
    };

    private static final String SUMMARY_UPDATE = "UPDATE event_counts SET events = events + 1, last_received_at = max(coalesce(last_received_at, 0), ?)"
            + " WHERE tenant_id = ? AND connector_id = ? AND event_type = ?";

    public static void main(String[] args) throws Exception {
        int events = 200_000;
        int rounds = 3;
        int connectors = 8;
        int types = 12;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--connectors" -> connectors = Integer.parseInt(args[++i]);
                case "--types" -> types = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Variant> variants = List.of(new Variant("schema 3, auto_vacuum NONE (before)", Summary.NONE, false, false),
                new Variant("+ summary, an upsert per event", Summary.UPSERT, false, false),
                new Variant("+ summary, an update per event", Summary.UPDATE_FIRST, false, false),
                new Variant("+ summary, deferred to the batch (as built)", Summary.DEFERRED, false, false),
                new Variant("+ two listing indexes", Summary.NONE, true, false),
                new Variant("+ auto_vacuum INCREMENTAL", Summary.NONE, false, true),
                new Variant("schema 4 on a new database (all three)", Summary.DEFERRED, true, true),
                new Variant("schema 4 on an upgraded database", Summary.DEFERRED, true, false));
        double[][] cpu = new double[variants.size()][rounds];
        double[][] wall = new double[variants.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < variants.size(); v++) {
                double[] x = run(variants.get(v), events, r, connectors, types);
                cpu[v][r] = x[0];
                wall[v][r] = x[1];
                System.out.printf(Locale.ROOT, "round %d %-42s writer CPU %.2f µs/event, wall %.2f µs/event%n", r + 1, variants.get(v).name(), x[0], x[1]);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d events per round over %d connectors and %d event types%n%n", events, connectors, types);
        System.out.println("| writer variant | CPU µs per event (median of rounds) | ratio | wall µs per event |");
        System.out.println("|---|---:|---:|---:|");
        double base = median(cpu[0]);
        for (int v = 0; v < variants.size(); v++) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", variants.get(v).name(), median(cpu[v]), median(cpu[v]) / base, median(wall[v]));
        }
        System.exit(0);
    }

    private static void upsert(com.airotech.connect.store.WriteContext w, String connector, String type, long at) throws java.sql.SQLException {
        PreparedStatement up = w.prepare(SUMMARY);
        up.setString(1, "tn_bench");
        up.setString(2, connector);
        up.setString(3, type);
        up.setLong(4, at);
        up.executeUpdate();
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Stores {@code events} events through the writer with 64 in flight (batches of about 20); returns {cpu µs, wall µs} per event. */
    private static double[] run(Variant v, int events, int round, int connectors, int types) throws Exception {
        Path dir = com.airotech.connect.testing.TempDirs.create("airotech-writer-cost");
        Path file = dir.resolve("airotech.db");
        if (!v.incrementalVacuum()) {
            // a file that is not empty when the database opens it keeps auto_vacuum NONE, as one made before schema 4
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE made_before (x INTEGER)");
                s.execute("DROP TABLE made_before");
            }
        }
        Database db = Database.open(file);
        // 64 writes in flight from one thread: never refused for waiting, whatever the machine's other load
        db.setMaxQueueDelay(java.time.Duration.ofMinutes(1));
        try {
            db.write(w -> {
                try (Statement s = w.connection().createStatement()) {
                    s.execute("INSERT INTO tenants (tenant_id, name, created_at) VALUES ('tn_bench','bench',0)");
                    for (int c = 0; c < connectors; c++) {
                        s.execute("INSERT INTO connectors (tenant_id, connector_id, system_name, auth_method, created_at) VALUES ('tn_bench','cn_" + c + "','s" + c + "','hmac',0)");
                    }
                    if (!v.indexes()) {
                        s.execute("DROP INDEX events_tenant_type");
                        s.execute("DROP INDEX events_tenant_connector");
                    }
                }
                return null;
            });
            Random random = new Random(round);
            String pad = "x".repeat(900);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long writer = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sqlite-writer")
                    && t.isAlive()).mapToLong(Thread::getId).max().orElseThrow();
            long cpu0 = mx.getThreadCpuTime(writer);
            long t0 = System.nanoTime();
            ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
            for (int i = 0; i < events; i++) {
                String connector = "cn_" + random.nextInt(connectors);
                String type = "type_" + random.nextInt(types);
                String id = "ev-" + Long.toHexString(random.nextLong());
                long at = 1_700_000_000_000L + i;
                byte[] body = ("{\"event_type\":\"" + type + "\",\"event_id\":\"" + id + "\",\"data\":{\"pad\":\"" + pad + "\"}}").getBytes(StandardCharsets.UTF_8);
                inFlight.add(db.submitPure(w -> {
                    PreparedStatement ins = w.prepare(INSERT);
                    ins.setString(1, "tn_bench");
                    ins.setString(2, connector);
                    ins.setString(3, id);
                    ins.setString(4, type);
                    ins.setLong(5, at);
                    ins.setLong(6, at);
                    ins.setString(7, null);
                    ins.setBytes(8, body);
                    long seq;
                    try (ResultSet rs = ins.executeQuery()) {
                        seq = rs.next() ? rs.getLong(1) : -1;
                    }
                    switch (v.summary()) {
                        case NONE -> { }
                        case DEFERRED -> w.defer(DEFERRED, new String[] {connector, type, Long.toString(at)});
                        case UPDATE_FIRST -> {
                            PreparedStatement upd = w.prepare(SUMMARY_UPDATE);
                            upd.setLong(1, at);
                            upd.setString(2, "tn_bench");
                            upd.setString(3, connector);
                            upd.setString(4, type);
                            if (upd.executeUpdate() == 0) upsert(w, connector, type, at);
                        }
                        case UPSERT -> upsert(w, connector, type, at);
                    }
                    return seq;
                }));
                if (inFlight.size() >= 64) inFlight.poll().get();
            }
            for (CompletableFuture<Long> f : inFlight) f.get();
            double cpu = (mx.getThreadCpuTime(writer) - cpu0) / 1000.0 / events;
            double wall = (System.nanoTime() - t0) / 1000.0 / events;
            return new double[] {cpu, wall};
        } finally {
            db.close();
            com.airotech.connect.testing.TempDirs.deleteTree(dir);
        }
    }
}
