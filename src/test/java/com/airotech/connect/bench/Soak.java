package com.airotech.connect.bench;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak (bench/soak.sh, not in CI): the packaged gateway takes signed events at a steady rate
 * for a long time, on loopback; every slice it records heap after a full GC and open file
 * descriptors, and at the end says whether both stayed flat. Writes bench/SOAK.md.
 */
public final class Soak {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/airotech-connect.jar");
        int minutes = 10;
        double rate = 1000;
        Path out = Path.of("bench/SOAK.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = com.airotech.connect.testing.TempDirs.create("airotech-soak").resolve("data");
        Bench.Setup s = Bench.setUp(dir);
        boolean failed;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(),
                "serve", "--data-dir", dir.toString(), "--http-port", "0", "--https-port", "-1")
                .redirectError(dir.resolveSibling("gateway.log").toFile()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            JsonNode listening = Json.tree(r.readLine());
            int port = listening.get("http_port").asInt();
            Bench.Endpoint e = new Bench.Endpoint("soak", p, port, s.hmacPath(), s.hmacSecret(), s.token(), true);
            int slices = Math.max(4, minutes * 2);
            if (minutes < 10) System.out.println("note: under 10 minutes the replay window (300 s) may not have filled; flatness is then not meaningful");
            long sliceMillis = minutes * 60_000L / slices;
            List<String> rows = new ArrayList<>();
            List<long[]> samples = new ArrayList<>();
            long totalOk = 0;
            long totalErrors = 0;
            for (int i = 0; i < slices; i++) {
                LoadGenerator.Result res = new LoadGenerator("127.0.0.1", port, 16, Bench.requests(e, "soak" + i)).openLoop(0, sliceMillis, rate);
                gc(p);
                long heap = Bench.heapUsedMiB(p);
                long fds;
                try (var list = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
                    fds = list.count();
                }
                samples.add(new long[] {heap, fds});
                totalOk += res.ok();
                totalErrors += res.errors();
                String row = String.format("| %d | %.0f | %d | %d | %.1f | %d | %d |", i + 1, res.rate(), res.errors(), res.shed(), res.p99Micros() / 1000.0, heap, fds);
                rows.add(row);
                System.out.println(row);
            }
            // the replay guard keeps each signed message id for its 300 s window, so heap rises for the first
            // five minutes by design and must be flat after that: compare the middle of the run with its end
            int mid = samples.size() / 2;
            long heapFirst = (samples.get(mid)[0] + samples.get(mid - 1)[0]) / 2;
            long heapLast = (samples.get(samples.size() - 1)[0] + samples.get(samples.size() - 2)[0]) / 2;
            long fdFirst = samples.get(mid)[1];
            long fdLast = samples.get(samples.size() - 1)[1];
            boolean heapFlat = heapLast <= heapFirst * 1.25 + 16;
            boolean fdFlat = fdLast <= fdFirst + 8;
            StringBuilder md = new StringBuilder("# Soak\n\nProduced by `bench/soak.sh` on ").append(Instant.now()).append(". Loopback only.\n\n")
                    .append(String.format("%d minutes at %.0f signed events/s offered (16 connections, open loop); heap is measured after a full GC. The replay guard holds every signed message id for its 300 s window, so heap grows during the first five minutes by design; flatness is judged from the middle of the run to its end.%n%n", minutes, rate))
                    .append("| slice | ok/s | errors | shed | p99 ms | heap MiB | open fds |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            rows.forEach(x -> md.append(x).append('\n'));
            md.append(String.format("%nTotal acknowledged: %d, errors: %d. Heap %d → %d MiB (%s); file descriptors %d → %d (%s).%n",
                    totalOk, totalErrors, heapFirst, heapLast, heapFlat ? "flat" : "GROWING", fdFirst, fdLast, fdFlat ? "flat" : "GROWING"));
            Files.writeString(out, md.toString());
            System.out.println(md.substring(md.lastIndexOf("Total")));
            failed = !heapFlat || !fdFlat || totalErrors > 0;
        } finally {
            p.destroy(); // before exiting: System.exit would skip this and leave the gateway running
        }
        if (failed) System.exit(1);
    }

    private static void gc(Process p) throws Exception {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()), "GC.run")
                .redirectErrorStream(true).start();
        j.getInputStream().readAllBytes();
        j.waitFor();
    }
}
