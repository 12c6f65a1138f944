package com.airotech.connect.bench;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.TempDirs;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backup of a large site under load (bench/backup.sh): fills a site's database to {@code --gb} (1)
 * with realistic events, starts the packaged gateway on it, and runs {@code airotech-connect backup}
 * (another process, as an operator would) twice: once idle (the baseline) and once while the load
 * generator sends signed (HMAC) events at full rate over 64 connections. Reports each backup's time
 * and size, the ingest rate and p99 without and during the backup, and the largest WAL meanwhile, in
 * bench/BACKUP.md. Loopback only; the temporary site is removed at exit.
 */
public final class BackupBench {
    private BackupBench() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/airotech-connect.jar");
        double gb = 1.0;
        Path out = Path.of("bench/BACKUP.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--gb" -> gb = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = TempDirs.create("airotech-backup-bench");
        Path dir = work.resolve("data");
        Bench.Setup s = Bench.setUp(dir);
        long events = fill(dir.resolve("airotech.db"), s, (long) (gb * (1L << 30)));
        long dbBytes = Files.size(dir.resolve("airotech.db"));
        say("filled: " + events + " events, " + (dbBytes >> 20) + " MiB");

        Process gw = new ProcessBuilder(java(), "-Xmx512m", "-jar", jar.toString(), "serve", "--data-dir", dir.toString(),
                "--http-port", "0", "--https-port", "-1").redirectError(work.resolve("gateway.log").toFile()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(gw.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null) throw new IllegalStateException("the gateway did not start; see " + work.resolve("gateway.log"));
            int port = Json.tree(line).get("http_port").asInt();
            Bench.Endpoint e = new Bench.Endpoint("gateway", gw, port, s.hmacPath(), s.hmacSecret(), s.token(), true);

            JsonNode idle = backup(jar, dir, work.resolve("idle.zip"));
            say("idle backup: " + idle);

            // the load alone, for the ingest figures the backup is compared with
            LoadGenerator.Result alone = new LoadGenerator("127.0.0.1", port, 64, Bench.requests(e, "alone")).closedLoop(3_000, 10_000);
            say("load alone: " + alone);

            AtomicBoolean stop = new AtomicBoolean();
            List<LoadGenerator.Result> during = new ArrayList<>();
            AtomicLong maxWal = new AtomicLong();
            Thread load = new Thread(() -> {
                int n = 0;
                try {
                    while (!stop.get()) {
                        LoadGenerator.Result x = new LoadGenerator("127.0.0.1", port, 64, Bench.requests(e, "during" + n++)).closedLoop(0, 2_000);
                        synchronized (during) {
                            during.add(x);
                            during.notifyAll();
                        }
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }, "load");
            java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            Path walFile = dir.resolve("airotech.db-wal");
            sampler.scheduleAtFixedRate(() -> {
                try {
                    if (Files.exists(walFile)) maxWal.accumulateAndGet(Files.size(walFile), Math::max);
                } catch (java.io.IOException ignored) {
                    // the WAL was truncated between the two calls: the next sample sees it
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            load.start();
            // the load runs at full rate (two slices done) before the backup starts
            synchronized (during) {
                while (during.size() < 2) during.wait(1_000);
            }
            int before;
            synchronized (during) { before = during.size(); }
            JsonNode loaded = backup(jar, dir, work.resolve("loaded.zip"));
            int after;
            synchronized (during) { after = during.size(); }
            stop.set(true);
            load.join();
            sampler.shutdownNow();
            say("backup under load: " + loaded);
            List<LoadGenerator.Result> window;
            synchronized (during) { window = new ArrayList<>(during.subList(Math.max(0, before), Math.min(during.size(), after + 1))); }
            long ok = window.stream().mapToLong(LoadGenerator.Result::ok).sum();
            double secs = window.stream().mapToDouble(LoadGenerator.Result::seconds).sum();
            long errors = window.stream().mapToLong(LoadGenerator.Result::errors).sum();
            long shed = window.stream().mapToLong(LoadGenerator.Result::shed).sum();
            long p99 = window.stream().mapToLong(LoadGenerator.Result::p99Micros).max().orElse(0);
            write(out, gb, events, dbBytes, idle, loaded, alone, ok / secs, p99, errors, shed, maxWal.get());
        } finally {
            gw.destroy();
            gw.waitFor();
            // what the gateway said about it (WAL, capacity), before the site is removed
            Files.readAllLines(work.resolve("gateway.log")).stream().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("quick_check")).limit(20).forEach(BackupBench::say);
            TempDirs.deleteTree(work);
        }
    }

    /** Fills the site's database with events as the gateway stores them (bench bodies), up to {@code bytes}. */
    static long fill(Path db, Bench.Setup s, long bytes) throws Exception {
        String[] path = s.hmacPath().split("/");
        String tenant = path[4];
        String connector = path[5];
        long n = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous=OFF"); // a fill, not a measurement
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (tenant_id, connector_id, event_id, event_type, occurred_at, received_at, webhook_id, body) VALUES (?,?,?,?,?,?,?,?)")) {
                long t0 = System.currentTimeMillis() - 86_400_000L;
                java.util.Random rnd = new java.util.Random(42);
                while (Files.size(db) + walSize(db) < bytes) {
                    for (int i = 0; i < 50_000; i++, n++) {
                        ps.setString(1, tenant);
                        ps.setString(2, connector);
                        ps.setString(3, "fill-" + n);
                        ps.setString(4, "reading");
                        ps.setLong(5, t0 + n);
                        ps.setLong(6, t0 + n);
                        ps.setString(7, "msg_fill_" + n);
                        ps.setBytes(8, reading(rnd, n));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    c.setAutoCommit(true);
                    try (java.sql.ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                        rs.next();
                    }
                    c.setAutoCommit(false);
                }
            }
        }
        return n;
    }

    /**
     * A stored event as a building site sends them (about 800 bytes): readings with decimals that
     * compress about as real ones do, not the load generator's padding, which shrinks to nothing.
     */
    static byte[] reading(java.util.Random rnd, long n) {
        StringBuilder b = new StringBuilder(900).append("{\"event_type\":\"reading\",\"event_id\":\"fill-").append(n)
                .append("\",\"occurred_at\":\"2026-11-22T10:00:00Z\",\"data\":{\"site\":\"north\",\"sensor\":\"s-").append(rnd.nextInt(5000))
                .append("\",\"samples\":[");
        for (int i = 0; i < 60; i++) b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rnd.nextDouble() * 100));
        return b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long walSize(Path db) throws java.io.IOException {
        Path w = db.resolveSibling(db.getFileName() + "-wal");
        return Files.exists(w) ? Files.size(w) : 0;
    }

    private static JsonNode backup(Path jar, Path dir, Path to) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(java(), "-Xmx256m", "-jar", jar.toString(), "backup", "--to", to.toString(), "--data-dir", dir.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("backup failed: " + text);
        double wall = (System.nanoTime() - start) / 1e9;
        JsonNode j = Json.tree(text.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        return Json.object().put("wall_seconds", Math.round(wall * 10) / 10.0).put("backup_mib", j.get("bytes").asLong() >> 20)
                .put("database_mib", j.path("manifest").path("parts").get(0).path("size").asLong() >> 20);
    }

    private static void write(Path out, double gb, long events, long dbBytes, JsonNode idle, JsonNode loaded, LoadGenerator.Result alone,
                              double rateDuring, long p99During, long errorsDuring, long shedDuring, long maxWal) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Backup of a large site under load\n\n");
        md.append("`bench/backup.sh` (one command; `flock /work/bench.lock bench/backup.sh` on a shared machine). Loopback only.\n\n");
        md.append(String.format(Locale.ROOT, "- Site: %,d events, database %,d MiB (target %.1f GiB), stored bodies of about 800 bytes of readings (decimals, which compress as real ones do); the load adds the benchmark's 1 KiB padded events.%n", events, dbBytes >> 20, gb));
        md.append("- Gateway: the packaged jar, `serve`; the backup: `airotech-connect backup --to FILE` in another process (JVM start included).\n");
        md.append("- Load: `LoadGenerator`, 64 keep-alive connections, closed loop, HMAC-signed events (Standard Webhooks), same machine.\n\n");
        md.append("| what | figure |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| backup, idle gateway (baseline) | %.1f s, %d MiB file |%n", idle.get("wall_seconds").asDouble(), idle.get("backup_mib").asLong()));
        md.append(String.format(Locale.ROOT, "| backup, gateway at full ingest | %.1f s, %d MiB file (database part %d MiB) |%n", loaded.get("wall_seconds").asDouble(),
                loaded.get("backup_mib").asLong(), loaded.get("database_mib").asLong()));
        md.append(String.format(Locale.ROOT, "| time under load / idle | %.2f |%n", loaded.get("wall_seconds").asDouble() / idle.get("wall_seconds").asDouble()));
        md.append(String.format(Locale.ROOT, "| ingest without a backup | %.0f events/s, p99 %.1f ms |%n", alone.rate(), alone.p99Micros() / 1000.0));
        md.append(String.format(Locale.ROOT, "| ingest while the backup runs | %.0f events/s (%.2f of it), p99 %.1f ms (slice max); %d answered 503 (at capacity, Retry-After: nothing stored, the sender retries), %d errors |%n",
                rateDuring, rateDuring / alone.rate(), p99During / 1000.0, shedDuring, errorsDuring));
        md.append(String.format(Locale.ROOT, "| largest WAL while the backup held its snapshot | %d MiB |%n", maxWal >> 20));
        md.append("\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, shared with the load generator and the backup process.\n");
        Files.writeString(out, md.toString());
        say(md.toString());
    }

    private static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    private static void say(String s) { System.out.println(s); }
}
