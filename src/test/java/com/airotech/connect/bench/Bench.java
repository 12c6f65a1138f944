package com.airotech.connect.bench;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark (bench/run.sh): on loopback, alternating rounds of the same scenarios, driven by
 * the same {@link LoadGenerator} (64 connections, closed loop): the baseline (Undertow + HMAC,
 * storing nothing), durable ingest with Standard Webhooks signatures (each request uniquely
 * signed), with api_key, with Kafka on, with one commit per request, and with retention pruning as
 * many events as arrive. Writes bench/RESULTS.md.
 */
public final class Bench {
    private static final int BODY_BYTES = 1024;
    /** The pruning scenario's retention "day" (its tenant keeps one): events older than this are removed while the load runs. */
    private static final long PRUNE_DAY_MILLIS = 2000;
    private static final String PRUNING = "ingest hmac, group commit, pruning running (keeps 2 s)";

    record Endpoint(String name, Process process, int port, String path, String credential, String token, boolean hmac) {}

    record Run(int round, String scenario, LoadGenerator.Result result, long heapUsedMiB, double serverCpuMicrosPerRequest, String note) {}

    private final List<Process> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path jar;
    private int rounds = 2;
    private long warmupMs = 5_000;
    private long measureMs = 10_000;
    private int connections = 64;
    private Path out = Path.of("bench/RESULTS.md");
    private Path work;
    private String only;
    private boolean jfr;
    /** Another build's jar to run the group-commit hmac scenario on too, in the same rounds (before/after a change). */
    private Path compareJar;

    public static void main(String[] args) throws Exception {
        Bench b = new Bench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> b.jar = Path.of(args[++i]);
                case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> b.warmupMs = Long.parseLong(args[++i]) * 1000;
                case "--seconds" -> b.measureMs = Long.parseLong(args[++i]) * 1000;
                case "--connections" -> b.connections = Integer.parseInt(args[++i]);
                case "--out" -> b.out = Path.of(args[++i]);
                case "--only" -> b.only = args[++i];
                case "--jfr" -> b.jfr = true;
                case "--compare-jar" -> b.compareJar = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(b::stopChildren));
        try {
            b.run();
        } finally {
            b.stopChildren();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        // removed when the bench ends (AIROTECH_KEEP_TEMP=1 keeps it: the gateways' logs are in it)
        work = com.airotech.connect.testing.TempDirs.create("airotech-bench");
        String cp = System.getProperty("java.class.path");
        say("starting Kafka broker, baseline and four gateways (work dir " + work + ")");
        JsonNode kafka = startProcess("kafka", List.of(java(), "-Xmx768m", "-cp", cp, "com.airotech.connect.testing.KafkaBrokerMain"));
        String bootstrap = kafka.get("bootstrap").asText();

        Map<String, Endpoint> hmacTargets = new LinkedHashMap<>();
        Setup batch = setUp(work.resolve("gw-batch"));
        Setup withKafka = setUp(work.resolve("gw-kafka"));
        Setup single = setUp(work.resolve("gw-single"));
        String baselineKey = single.hmacSecret; // any whsec_ secret will do: the baseline only verifies
        JsonNode base = startProcess("baseline", List.of(java(), "-Xmx512m", "-cp", cp, "com.airotech.connect.gateway.BaselineServer", baselineKey));
        Process baseProc = children.get(children.size() - 1);
        int gwBatch = startGateway("gw-batch", batch, List.of());
        Process batchProc = children.get(children.size() - 1);
        int gwKafka = startGateway("gw-kafka", withKafka, List.of("--kafka-bootstrap", bootstrap));
        Process kafkaProc = children.get(children.size() - 1);
        int gwSingle = startGateway("gw-single", single, List.of(), "-Dairotech.writer.maxBatch=1");
        Process singleProc = children.get(children.size() - 1);
        // retention compressed: a "day" of 2 s and a retention of one day, so that from the end of the
        // warm-up on the pruner removes as many events as arrive, in the background, as at a site at steady state
        Setup pruned = setUp(work.resolve("gw-prune"));
        try (Platform p = Platform.open(Config.defaults(pruned.dir()))) {
            p.retention().setMaxAgeDays(Principal.local(pruned.tenantId()), 1);
        }
        int gwPrune = startGateway("gw-prune", pruned, List.of(), "-Dairotech.retention.dayMillis=" + PRUNE_DAY_MILLIS,
                "-Dairotech.retention.intervalMillis=200");
        Process pruneProc = children.get(children.size() - 1);

        List<Endpoint> scenarios = new ArrayList<>(List.of(
                new Endpoint("baseline (Undertow + HMAC, stores nothing)", baseProc, base.get("http_port").asInt(), "/ingest", baselineKey, null, true),
                new Endpoint("ingest hmac (Standard Webhooks), group commit", batchProc, gwBatch, batch.hmacPath, batch.hmacSecret, batch.token, true),
                new Endpoint("ingest api_key, group commit", batchProc, gwBatch, batch.keyPath, batch.apiKey, batch.token, false),
                new Endpoint("ingest hmac + Kafka outbox", kafkaProc, gwKafka, withKafka.hmacPath, withKafka.hmacSecret, withKafka.token, true),
                new Endpoint("ingest hmac, one commit per request", singleProc, gwSingle, single.hmacPath, single.hmacSecret, single.token, true),
                new Endpoint(PRUNING, pruneProc, gwPrune, pruned.hmacPath, pruned.hmacSecret, pruned.token, true)));
        if (compareJar != null) {
            // set up by that build's own command line: its schema may be older than this one's
            Setup other = setUpWithCli(compareJar, work.resolve("gw-compare"));
            int gwOther = startGateway("gw-compare", other, List.of(), compareJar);
            scenarios.add(2, new Endpoint("ingest hmac (Standard Webhooks), group commit, " + compareJar.getFileName() + " of the other build",
                    children.get(children.size() - 1), gwOther, other.hmacPath, other.hmacSecret, other.token, true));
        }

        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Endpoint e : scenarios) {
                if (!selected(e, scenarios)) continue;
                String tag = "r" + round + "s" + scenarios.indexOf(e);
                LoadGenerator gen = new LoadGenerator("127.0.0.1", e.port(), connections, requests(e, tag));
                double[] before = e.token() == null ? null : writerStats(e.port());
                long prunedBefore = e.name().equals(PRUNING) ? pruned(e) : 0;
                long[] cpuAtStart = new long[1];
                gen.onMeasureStart(() -> cpuAtStart[0] = cpuNanos(e.process()));
                LoadGenerator.Result r = gen.closedLoop(warmupMs, measureMs);
                double cpuPerRequest = (cpuNanos(e.process()) - cpuAtStart[0]) / 1000.0 / Math.max(1, r.ok() + r.shed() + r.errors());
                long heap = heapUsedMiB(e.process());
                String note = "";
                if (before != null) {
                    double[] after = writerStats(e.port());
                    double batches = after[1] - before[1];
                    note = String.format(Locale.ROOT, "writer: %.0f ops/commit, %.2f ms/commit; ", (after[0] - before[0]) / batches, (after[2] - before[2]) * 1000 / batches);
                }
                if (e.name().contains("Kafka")) note += drain(e);
                if (e.name().equals(PRUNING)) {
                    long n = pruned(e) - prunedBefore;
                    note += String.format(Locale.ROOT, "pruned %,d events meanwhile (%.0f/s), %,d stored at the end", n, n * 1000.0 / (warmupMs + measureMs), stored(e));
                }
                runs.add(new Run(round, e.name(), r, heap, cpuPerRequest, note));
                say(String.format(Locale.ROOT, "round %d %-48s %8.0f req/s p50 %6.2f ms p99 %6.2f ms errors %d shed %d heap %d MiB cpu %.1f us/req %s",
                        round, e.name(), r.rate(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.errors(), r.shed(), heap, cpuPerRequest, note));
                if (r.firstError() != null) say("  first error: " + r.firstError());
            }
        }
        write(runs, scenarios);
        say("results written to " + out);
    }

    /** The baseline always runs (every ratio needs it); --only "a,b" keeps the scenarios whose names contain a or b. */
    private boolean selected(Endpoint e, List<Endpoint> scenarios) {
        if (only == null || e == scenarios.get(0)) return true;
        for (String part : only.split(",")) if (e.name().contains(part)) return true;
        return false;
    }

    /** Waits until the Kafka gateway's outbox is empty again, so the next scenario runs on a quiet machine. */
    private String drain(Endpoint e) throws Exception {
        long t0 = System.nanoTime();
        long depthAtEnd = outboxDepth(e);
        com.airotech.connect.testing.Await.until("the outbox to drain", () -> outboxDepth(e) == 0, java.time.Duration.ofSeconds(180));
        return String.format(Locale.ROOT, "outbox %d at end of load, drained in %.1f s", depthAtEnd, (System.nanoTime() - t0) / 1e9);
    }

    private long outboxDepth(Endpoint e) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/api/status"))
                    .header("Authorization", "Bearer " + e.token()).build(), HttpResponse.BodyHandlers.ofString());
            return Json.tree(r.body()).at("/gateway/outbox/depth").asLong();
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    /** Events the gateway's pruner has removed so far, from /api/status. */
    private long pruned(Endpoint e) { return status(e).at("/tenant/retention/events_pruned").asLong(); }

    private long stored(Endpoint e) { return status(e).at("/tenant/events").asLong(); }

    private JsonNode status(Endpoint e) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/api/status"))
                    .header("Authorization", "Bearer " + e.token()).build(), HttpResponse.BodyHandlers.ofString());
            return Json.tree(r.body());
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    /** Sum of batch sizes, number of commits and total commit seconds, from the gateway's /metrics. */
    private double[] writerStats(int port) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {metric(text, "airotech_writer_batch_size_sum"), metric(text, "airotech_writer_batch_size_count"), metric(text, "airotech_writer_commit_seconds_sum")};
    }

    private static double metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return Double.NaN;
    }

    static LoadGenerator.RequestFactory requests(Endpoint e, String tag) {
        byte[] prefix = ("POST " + e.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + e.port() + "\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY_BYTES + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return n -> {
            byte[] body = body(tag + "-" + n);
            StringBuilder h = new StringBuilder();
            if (e.hmac()) {
                String id = "msg_" + tag + "_" + n;
                long ts = Instant.now().getEpochSecond();
                h.append(StandardWebhooks.ID).append(": ").append(id).append("\r\n")
                        .append(StandardWebhooks.TIMESTAMP).append(": ").append(ts).append("\r\n")
                        .append(StandardWebhooks.SIGNATURE).append(": ").append(StandardWebhooks.sign(e.credential(), id, ts, body)).append("\r\n");
            } else {
                h.append("X-Api-Key: ").append(e.credential()).append("\r\n");
            }
            h.append("\r\n");
            byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] req = new byte[prefix.length + hb.length + body.length];
            System.arraycopy(prefix, 0, req, 0, prefix.length);
            System.arraycopy(hb, 0, req, prefix.length, hb.length);
            System.arraycopy(body, 0, req, prefix.length + hb.length, body.length);
            return req;
        };
    }

    static byte[] body(String eventId) {
        String head = "{\"event_type\":\"reading\",\"event_id\":\"" + eventId + "\",\"occurred_at\":\"2026-11-22T10:00:00Z\",\"data\":{\"site\":\"north\",\"value\":21.5,\"pad\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(BODY_BYTES - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    record Setup(Path dir, String tenantId, String token, String hmacPath, String hmacSecret, String keyPath, String apiKey) {}

    static Setup setUp(Path dir) {
        try (Platform p = Platform.open(Config.defaults(dir))) {
            CreatedTenant t = p.tenants().create("bench", "bench@local", "bench");
            String tid = t.tenant().tenantId();
            Registration h = p.connectors().register(Principal.local(tid), new RegistrationRequest("bench-hmac", null, AuthMethod.HMAC, null, 60, new CredentialOptions(null, null)));
            Registration k = p.connectors().register(Principal.local(tid), new RegistrationRequest("bench-key", null, AuthMethod.API_KEY, null, 60, new CredentialOptions(null, null)));
            return new Setup(dir, tid, t.adminToken().utf8(),
                    "/api/events/ingest/" + tid + "/" + h.connector().connectorId(), h.issued().credential().utf8(),
                    "/api/events/ingest/" + tid + "/" + k.connector().connectorId(), k.issued().credential().utf8());
        }
    }

    private int startGateway(String name, Setup s, List<String> extra, String... jvmFlags) throws IOException {
        return startGateway(name, s, extra, jar, jvmFlags);
    }

    /** A tenant, an hmac and an api_key connector made with {@code otherJar}'s command line, as an operator would. */
    private Setup setUpWithCli(Path otherJar, Path dir) throws IOException, InterruptedException {
        JsonNode t = cli(otherJar, "tenant", "create", "bench", "--actor", "bench@local", "--data-dir", dir.toString());
        String tid = t.get("tenant_id").asText();
        JsonNode h = cli(otherJar, "connectors", "register", "--tenant", tid, "--system-name", "bench-hmac", "--auth-method", "hmac", "--data-dir", dir.toString());
        JsonNode k = cli(otherJar, "connectors", "register", "--tenant", tid, "--system-name", "bench-key", "--auth-method", "api_key", "--data-dir", dir.toString());
        return new Setup(dir, tid, t.get("admin_token").asText(), h.get("webhook_path").asText(), h.get("credential").asText(),
                k.get("webhook_path").asText(), k.get("credential").asText());
    }

    private static JsonNode cli(Path jarFile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jarFile.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
        return Json.tree(out.strip());
    }

    private int startGateway(String name, Setup s, List<String> extra, Path jarFile, String... jvmFlags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m"));
        if (jfr) cmd.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile");
        cmd.addAll(List.of(jvmFlags));
        String extraJvm = System.getenv("BENCH_GATEWAY_JVM"); // e.g. a profiler agent
        if (extraJvm != null && !extraJvm.isBlank()) cmd.addAll(List.of(extraJvm.replace("{name}", name).trim().split("\\s+")));
        cmd.addAll(List.of("-jar", jarFile.toString(), "serve", "--data-dir", s.dir().toString(), "--http-port", "0", "--https-port", "-1"));
        cmd.addAll(extra);
        return startProcess(name, cmd).get("http_port").asInt();
    }

    private JsonNode startProcess(String name, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve(name + ".log").toFile()).start();
        children.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        while (line != null && !line.startsWith("{")) line = r.readLine(); // JFR announces itself on stdout
        if (line == null) throw new IllegalStateException(name + " exited before listening; see " + work.resolve(name + ".log"));
        return Json.tree(line);
    }

    /** CPU time (user + system, all threads) the server process has used so far. */
    static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K, used (\\d+)K");

    /** Heap in use right after the load, as the JVM reports it (jcmd GC.heap_info). */
    static long heapUsedMiB(Process p) throws IOException, InterruptedException {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()), "GC.heap_info")
                .redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        Matcher m = HEAP_USED.matcher(text);
        return m.find() ? Long.parseLong(m.group(2)) / 1024 : -1;
    }

    private void write(List<Run> runs, List<Endpoint> scenarios) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Produced by `bench/run.sh` on ").append(Instant.now().toString(), 0, 19).append("Z. Do not edit by hand; run it again.\n\n");
        md.append("## Machine\n\n").append(machine()).append('\n');
        md.append("## Method\n\n");
        md.append(String.format(Locale.ROOT, "- Loopback only; %d rounds, each scenario in turn (A B C D E F, A B C D E F …), %d s warm-up then %d s measured.%n", rounds, warmupMs / 1000, measureMs / 1000));
        md.append("- Pruning running: a gateway whose retention \"day\" is 2 s (`-Dairotech.retention.dayMillis=2000`, rounds every 200 ms) and whose tenant keeps one day,"
                + " so the pruner removes as many events as arrive while the load runs: a site at steady state, compressed. Compare its p99 and rate with group commit's.\n");
        md.append(String.format(Locale.ROOT, "- One load generator for all: `LoadGenerator` (Java NIO, one thread, %d keep-alive connections, closed loop like wrk), in the same machine as the servers.%n", connections));
        md.append(String.format(Locale.ROOT, "- Each request: a %d-byte JSON event with a unique `event_id`; hmac requests are each signed anew (unique `webhook-id`, current timestamp).%n", BODY_BYTES));
        md.append("- Servers are separate JVMs with `-Xmx512m`; the gateways run the packaged jar (`serve`), SQLite WAL with `synchronous=FULL` on the local disk.\n");
        md.append("- \"ok\" = 2xx; \"shed\" = 503/429 (overload refusals); \"errors\" = anything else. Heap = used heap right after the run (`jcmd GC.heap_info`).\n");
        md.append("- Server CPU µs/req = CPU time (user + system, all threads) the server process used during the measured seconds ÷ requests answered. It leaves out the kernel's own threads (disk writeback, the ext4 journal), so it understates what durable storage costs the machine.\n");
        md.append("- The ratio compares each scenario with the baseline **of the same round**, because the 2 cores are shared with other work.\n\n");
        md.append("## Runs\n\n| round | scenario | req/s | p50 ms | p99 ms | max ms | errors | shed | heap MiB | server CPU µs/req | note |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        Map<Integer, Double> baseline = new LinkedHashMap<>();
        for (Run r : runs) if (r.scenario().equals(scenarios.get(0).name())) baseline.put(r.round(), r.result().rate());
        for (Run r : runs) {
            LoadGenerator.Result x = r.result();
            md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.1f | %d | %d | %d | %.1f | %s |%n", r.round(), r.scenario(), x.rate(),
                    x.p50Micros() / 1000.0, x.p99Micros() / 1000.0, x.maxMicros() / 1000.0, x.errors(), x.shed(), r.heapUsedMiB(), r.serverCpuMicrosPerRequest(), r.note()));
        }
        md.append("\n## Summary (ratio = mean over rounds of scenario ÷ same-round baseline)\n\n| scenario | mean req/s | ratio to baseline | worst p99 ms | errors | shed (503) | max heap MiB | server CPU µs/req | CPU ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double baselineCpu = Double.NaN;
        for (Endpoint e : scenarios) {
            if (!selected(e, scenarios)) continue;
            double sum = 0, ratio = 0, p99 = 0, cpu = 0;
            long errors = 0, shed = 0, heap = 0;
            int n = 0;
            for (Run r : runs) {
                if (!r.scenario().equals(e.name())) continue;
                sum += r.result().rate();
                ratio += r.result().rate() / baseline.getOrDefault(r.round(), Double.NaN);
                p99 = Math.max(p99, r.result().p99Micros() / 1000.0);
                errors += r.result().errors();
                shed += r.result().shed();
                heap = Math.max(heap, r.heapUsedMiB());
                cpu += r.serverCpuMicrosPerRequest();
                n++;
            }
            if (e == scenarios.get(0)) baselineCpu = cpu / n;
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d | %d | %d | %.1f | %.1f |%n", e.name(), sum / n, ratio / n, p99, errors, shed, heap,
                    cpu / n, cpu / n / baselineCpu));
        }
        md.append("\nTargets for durable hmac ingest: ≥ 0.6 × baseline, p99 ≤ 25 ms at 64 connections, zero errors, heap < 512 MiB.\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    static String machine() {
        StringBuilder s = new StringBuilder();
        try {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            s.append("- CPU: ").append(cpu).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores available (shared with other users of the machine)\n");
            s.append("- ").append(mem).append('\n');
            s.append("- Load average before the run: ").append(load).append('\n');
        } catch (IOException e) {
            s.append("- (no /proc: ").append(e.getMessage()).append(")\n");
        }
        s.append("- Disk: ").append(fsyncProbe()).append('\n');
        s.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
        s.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        return s.toString();
    }

    /** The disk's fsync latency now: what bounds a durable commit, and so every durable ingest figure. */
    static String fsyncProbe() {
        try {
            Path f = Files.createTempFile(Path.of(System.getProperty("user.dir")).resolve("target"), "fsync", ".probe");
            long[] t = new long[200];
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
                for (int i = 0; i < t.length; i++) {
                    b.clear();
                    long t0 = System.nanoTime();
                    ch.write(b, (long) i * 4096);
                    ch.force(false);
                    t[i] = System.nanoTime() - t0;
                }
            } finally {
                Files.deleteIfExists(f);
            }
            java.util.Arrays.sort(t);
            return String.format(Locale.ROOT, "4 KiB write + fsync: median %.2f ms, p99 %.2f ms (200 samples, taken at the end of the run)",
                    t[t.length / 2] / 1e6, t[(int) (t.length * 0.99)] / 1e6);
        } catch (IOException e) {
            return "fsync probe failed: " + e.getMessage();
        }
    }

    private static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    private void stopChildren() {
        for (Process p : children) p.destroy();
        for (Process p : children) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        children.clear();
    }

    private static void say(String s) { System.out.println(s); }
}
