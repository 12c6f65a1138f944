package com.airotech.connect.bench;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retention soak (bench/soak-retention.sh, not in CI): the packaged gateway takes signed 1 KB
 * events at a constant rate with retention compressed (a "day" of --day-seconds, the tenant keeping
 * one), so that after the first day the pruner removes as many events as arrive. Every slice it
 * records the events stored and pruned and the sizes of the database, its WAL and its reusable pages,
 * and at the end says whether the file stayed flat, and how many bytes each stored event takes. Run
 * it on a new database (incremental vacuum) and on one made before schema 4 ({@code --legacy}, pages
 * reused, never given back). Appends to bench/SOAK-RETENTION.md.
 */
public final class RetentionSoak {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/airotech-connect.jar");
        int minutes = 15;
        int daySeconds = 60;
        double rate = 1000;
        boolean legacy = false;
        Path out = Path.of("bench/SOAK-RETENTION.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--day-seconds" -> daySeconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--legacy" -> legacy = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = com.airotech.connect.testing.TempDirs.create("airotech-soak").resolve("data");
        Bench.Setup s = Bench.setUp(dir);
        if (legacy) madeBeforeSchema4(dir);
        try (Platform p = Platform.open(Config.defaults(dir))) {
            p.retention().setMaxAgeDays(Principal.local(s.tenantId()), 1);
        }
        HttpClient http = HttpClient.newHttpClient();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dairotech.retention.dayMillis=" + daySeconds * 1000L, "-Dairotech.retention.intervalMillis=" + Math.min(10_000, daySeconds * 1000L / 12),
                "-jar", jar.toString(), "serve", "--data-dir", dir.toString(), "--http-port", "0", "--https-port", "-1")
                .redirectError(dir.resolveSibling("gateway.log").toFile()).start();
        boolean failed;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            JsonNode listening = Json.tree(r.readLine());
            int port = listening.get("http_port").asInt();
            Bench.Endpoint e = new Bench.Endpoint("soak", p, port, s.hmacPath(), s.hmacSecret(), s.token(), true);
            int slices = Math.max(6, minutes * 2);
            long sliceMillis = minutes * 60_000L / slices;
            List<String> rows = new ArrayList<>();
            List<long[]> samples = new ArrayList<>();
            long totalOk = 0;
            long totalErrors = 0;
            double worstP99 = 0;
            for (int i = 0; i < slices; i++) {
                LoadGenerator.Result res = new LoadGenerator("127.0.0.1", port, 16, Bench.requests(e, "rsoak" + i)).openLoop(0, sliceMillis, rate);
                JsonNode st = Json.tree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                        .header("Authorization", "Bearer " + s.token()).build(), HttpResponse.BodyHandlers.ofString()).body());
                long stored = st.at("/tenant/events").asLong();
                long pruned = st.at("/tenant/retention/events_pruned").asLong();
                long db = st.at("/gateway/storage/database_bytes").asLong();
                long wal = st.at("/gateway/storage/wal_bytes").asLong();
                long reusable = st.at("/gateway/storage/reusable_bytes").asLong();
                samples.add(new long[] {stored, pruned, db, wal, reusable});
                totalOk += res.ok();
                totalErrors += res.errors();
                worstP99 = Math.max(worstP99, res.p99Micros() / 1000.0);
                String row = String.format(Locale.ROOT, "| %d | %.1f | %.0f | %d | %.1f | %,d | %,d | %.1f | %.1f | %.1f | %.0f |", i + 1,
                        (i + 1) * sliceMillis / 1000.0 / daySeconds, res.rate(), res.errors(), res.p99Micros() / 1000.0, stored, pruned,
                        db / 1048576.0, wal / 1048576.0, reusable / 1048576.0, stored == 0 ? 0.0 : (double) (db + wal) / stored);
                rows.add(row);
                System.out.println(row);
            }
            // flat: from the middle of the run (many retention days in) to its end, the file does not grow
            int mid = samples.size() / 2;
            long dbMid = Math.max(samples.get(mid)[2], samples.get(mid - 1)[2]);
            long dbEnd = Math.max(samples.get(samples.size() - 1)[2], samples.get(samples.size() - 2)[2]);
            boolean flat = dbEnd <= dbMid * 1.10 + (4L << 20);
            long[] last = samples.get(samples.size() - 1);
            double perEvent = (double) (last[2] + last[3]) / Math.max(1, last[0]);
            double perEventInUse = (double) (last[2] - last[4]) / Math.max(1, last[0]);
            StringBuilder md = new StringBuilder();
            if (!Files.exists(out)) {
                md.append("# Retention soak\n\nProduced by `bench/soak-retention.sh` (not in CI). Loopback only. Each run is appended.\n\n")
                        .append("## Machine\n\n").append(Bench.machine()).append('\n');
            }
            md.append(String.format(Locale.ROOT, "## %s, %s database%n%n", Instant.now().toString().substring(0, 19) + "Z",
                    legacy ? "a legacy (made before schema 4: auto_vacuum NONE, freed pages reused)" : "a new (auto_vacuum INCREMENTAL)"));
            md.append(String.format(Locale.ROOT, "%d minutes at %.0f signed 1 KB events/s offered (16 connections, open loop), one tenant keeping"
                    + " one retention day of %d s (`-Dairotech.retention.dayMillis=%d`): %.0f days of traffic. Sizes as `/api/status` gives them"
                    + " after each slice; \"day\" is the retention days elapsed.%n%n", minutes, rate, daySeconds, daySeconds * 1000L, minutes * 60.0 / daySeconds));
            md.append("| slice | day | ok/s | errors | p99 ms | events stored | pruned so far | database MiB | WAL MiB | reusable MiB | (db + WAL) bytes per stored event |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            rows.forEach(x -> md.append(x).append('\n'));
            md.append(String.format(Locale.ROOT, "%nAcknowledged %,d, errors %d, worst p99 %.1f ms. Database file %.1f MiB in the middle of the run, %.1f MiB at its"
                    + " end: **%s**. At the end: %.0f bytes of database and WAL per stored event (%.0f bytes of pages in use per event).%n%n",
                    totalOk, totalErrors, worstP99, dbMid / 1048576.0, dbEnd / 1048576.0, flat ? "flat" : "GROWING", perEvent, perEventInUse));
            Files.writeString(out, md.toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.println(md);
            failed = !flat || totalErrors > 0;
        } finally {
            p.destroy();
            p.waitFor();
        }
        if (failed) System.exit(1);
    }

    /** A data directory whose database was made before schema 4: auto_vacuum stays NONE, as on a site that upgraded. */
    /** A database as releases before schema 4 made them: auto_vacuum NONE (freed pages reused, never given back). */
    private static void madeBeforeSchema4(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("airotech.db")); Statement st = c.createStatement()) {
            st.execute("PRAGMA auto_vacuum=NONE");
            st.execute("VACUUM");
        }
    }
}
