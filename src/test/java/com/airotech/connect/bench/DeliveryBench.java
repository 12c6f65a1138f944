package com.airotech.connect.bench;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.delivery.NewSubscription;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The delivery benchmark (bench/delivery.sh), loopback only, every server its own JVM: durable
 * ingest from eight site gateways with delivery off (no subscription), with three subscriptions to
 * three loopback receivers, and with three subscriptions of which one target is dead (nothing
 * listens). Closed loop (64 connections, as bench/run.sh) gives ingest's ratio to the baseline
 * with and without delivery; open loop at fixed rates (1,000, 2,500 and 5,000 events/s) gives delivery's rate and
 * lag (receiver's arrival time minus the event's received_at) per receiver. Writes bench/DELIVERY.md.
 */
public final class DeliveryBench {
    private static final int BODY_BYTES = 1024;

    record Source(String path, String whsec) {}

    record Setup(Path dir, String token, List<Source> sources) {}

    record Gateway(String name, Process process, int port, Setup setup, int liveTargets) {}

    record Closed(int round, String scenario, LoadGenerator.Result result, double ratio, double cpuMicros, double ingestMicros, double deliveryMicros,
                  String delivery) {}

    record Open(String scenario, double rate, LoadGenerator.Result ingest, List<JsonNode> receivers, long backlogAtEnd, double drainSeconds,
                double ingestMicros, double deliveryMicrosPerDelivery) {}

    private final List<Process> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path jar;
    private Path work;
    private int rounds = 2;
    private long warmupMs = 5_000;
    private long measureMs = 15_000;
    private int connections = 64;
    private int sources = 8;
    private List<Double> rates = List.of(1_000.0, 2_500.0, 5_000.0);
    private Path out = Path.of("bench/DELIVERY.md");
    private int controlPort;

    public static void main(String[] args) throws Exception {
        DeliveryBench b = new DeliveryBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> b.jar = Path.of(args[++i]);
                case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> b.warmupMs = Long.parseLong(args[++i]) * 1000;
                case "--seconds" -> b.measureMs = Long.parseLong(args[++i]) * 1000;
                case "--connections" -> b.connections = Integer.parseInt(args[++i]);
                case "--sources" -> b.sources = Integer.parseInt(args[++i]);
                case "--rates" -> b.rates = java.util.Arrays.stream(args[++i].split(",")).map(Double::parseDouble).toList();
                case "--out" -> b.out = Path.of(args[++i]);
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
        work = com.airotech.connect.testing.TempDirs.create("airotech-delivery-bench");
        String cp = System.getProperty("java.class.path");
        say("work dir " + work + "; starting the receivers, the baseline and three gateways");
        JsonNode rx = startProcess("receivers", List.of(java(), "-Xmx256m", "-cp", cp, DeliveryReceivers.class.getName(), "3"));
        controlPort = rx.get("control").asInt();
        List<String> live = new ArrayList<>();
        for (JsonNode p : rx.get("ports")) live.add("http://127.0.0.1:" + p.asInt() + "/hooks");
        String dead = "http://127.0.0.1:" + freePort() + "/hooks"; // nothing listens there: connection refused

        Setup off = setUp(work.resolve("gw-off"), List.of());
        Setup on = setUp(work.resolve("gw-on"), live);
        Setup withDead = setUp(work.resolve("gw-dead"), List.of(live.get(0), live.get(1), dead));
        JsonNode base = startProcess("baseline", List.of(java(), "-Xmx512m", "-cp", cp, "com.airotech.connect.gateway.BaselineServer", off.sources().get(0).whsec()));
        Gateway baseline = new Gateway("baseline (Undertow + HMAC, stores nothing)", children.get(children.size() - 1), base.get("http_port").asInt(), off, 0);
        List<Gateway> gateways = List.of(
                gateway("durable ingest, delivery off (no subscription)", "gw-off", off, 0),
                gateway("durable ingest + 3 subscriptions", "gw-on", on, 3),
                gateway("durable ingest + 3 subscriptions, one target dead", "gw-dead", withDead, 2));

        List<Closed> closed = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double baseRate = 0;
            for (Gateway g : concat(baseline, gateways)) {
                if (g != baseline) drain(g, 120);
                LoadGenerator gen = new LoadGenerator("127.0.0.1", g.port(), connections, requests(g, "c" + round + g.name().hashCode(), g == baseline));
                long[] cpuAt = new long[1];
                java.util.Map<String, Long>[] threadsAt = new java.util.Map[1];
                gen.onMeasureStart(() -> {
                    cpuAt[0] = Bench.cpuNanos(g.process());
                    threadsAt[0] = threadCpu(g.process());
                    stats(true);
                });
                LoadGenerator.Result r = gen.closedLoop(warmupMs, measureMs);
                long answered = Math.max(1, r.ok() + r.shed() + r.errors());
                double cpu = (Bench.cpuNanos(g.process()) - cpuAt[0]) / 1000.0 / answered;
                java.util.Map<String, Long> threadsEnd = threadCpu(g.process());
                double ingestCpu = (threadsEnd.getOrDefault("ingest", 0L) - threadsAt[0].getOrDefault("ingest", 0L)) / 1000.0 / answered;
                double deliveryCpu = (threadsEnd.getOrDefault("delivery", 0L) - threadsAt[0].getOrDefault("delivery", 0L)) / 1000.0 / answered;
                String delivery = "";
                if (g.liveTargets() > 0) {
                    List<JsonNode> s = stats(false);
                    double delivered = 0;
                    for (int i = 0; i < g.liveTargets(); i++) delivered += s.get(i).get("rate").asDouble();
                    long backlog = backlog(g);
                    double t0 = System.nanoTime();
                    drain(g, 300);
                    delivery = String.format(Locale.ROOT, "delivered %.0f/s per live target during the run; backlog %d at the end, drained in %.1f s",
                            delivered / g.liveTargets(), backlog, (System.nanoTime() - t0) / 1e9);
                }
                if (g == baseline) baseRate = r.rate();
                Closed c = new Closed(round, g.name(), r, r.rate() / baseRate, cpu, ingestCpu, deliveryCpu, delivery);
                closed.add(c);
                say(String.format(Locale.ROOT, "round %d %-52s %8.0f req/s ratio %.2f p99 %6.2f ms errors %d shed %d cpu %.1f us/req (ingest threads %.1f, delivery threads %.1f) %s",
                        round, g.name(), r.rate(), c.ratio(), r.p99Micros() / 1000.0, r.errors(), r.shed(), cpu, ingestCpu, deliveryCpu, delivery));
            }
        }

        List<Open> open = new ArrayList<>();
        for (double perSecond : rates) {
            for (Gateway g : gateways) {
                if (g.liveTargets() == 0) continue;
                drain(g, 300);
                LoadGenerator gen = new LoadGenerator("127.0.0.1", g.port(), connections, requests(g, "o" + (long) perSecond + g.name().hashCode(), false));
                java.util.Map<String, Long>[] threadsAt = new java.util.Map[1];
                gen.onMeasureStart(() -> {
                    threadsAt[0] = threadCpu(g.process());
                    stats(true);
                });
                LoadGenerator.Result r = gen.openLoop(warmupMs, measureMs, perSecond);
                List<JsonNode> s = stats(false);
                java.util.Map<String, Long> threadsEnd = threadCpu(g.process());
                long deliveries = 0;
                for (int i = 0; i < g.liveTargets(); i++) deliveries += s.get(i).get("count").asLong();
                double ingestCpu = (threadsEnd.getOrDefault("ingest", 0L) - threadsAt[0].getOrDefault("ingest", 0L)) / 1000.0 / Math.max(1, r.ok());
                double deliveryCpu = (threadsEnd.getOrDefault("delivery", 0L) - threadsAt[0].getOrDefault("delivery", 0L)) / 1000.0 / Math.max(1, deliveries);
                long backlog = backlog(g);
                long t0 = System.nanoTime();
                drain(g, 300);
                double drained = (System.nanoTime() - t0) / 1e9;
                open.add(new Open(g.name(), perSecond, r, s.subList(0, 3), backlog, drained, ingestCpu, deliveryCpu));
                say(String.format(Locale.ROOT, "open loop %.0f/s %-44s ingest %8.0f/s p99 %6.2f ms (%.1f us/event in ingest threads); receivers %s; "
                        + "%.1f us per delivery in delivery threads; backlog at end %d, drained in %.1f s",
                        perSecond, g.name(), r.rate(), r.p99Micros() / 1000.0, ingestCpu, s.subList(0, 3), deliveryCpu, backlog, drained));
            }
        }
        write(closed, open, gateways);
        say("results written to " + out);
    }

    private static List<Gateway> concat(Gateway first, List<Gateway> rest) {
        List<Gateway> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Signed 1 KiB events, each from the next of the site gateways in turn (one lane per gateway and subscription). */
    private LoadGenerator.RequestFactory requests(Gateway g, String tag, boolean baseline) {
        List<Source> srcs = g.setup().sources();
        return n -> {
            Source s = srcs.get((int) (n % srcs.size()));
            String path = baseline ? "/ingest" : s.path();
            byte[] body = Bench.body(tag + "-" + n);
            String id = "msg_" + tag + "_" + n;
            long ts = Instant.now().getEpochSecond();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + g.port() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                    + StandardWebhooks.ID + ": " + id + "\r\n" + StandardWebhooks.TIMESTAMP + ": " + ts + "\r\n" + StandardWebhooks.SIGNATURE + ": "
                    + StandardWebhooks.sign(baseline ? srcs.get(0).whsec() : s.whsec(), id, ts, body) + "\r\n\r\n";
            byte[] hb = head.getBytes(StandardCharsets.US_ASCII);
            byte[] req = new byte[hb.length + body.length];
            System.arraycopy(hb, 0, req, 0, hb.length);
            System.arraycopy(body, 0, req, hb.length, body.length);
            return req;
        };
    }

    private Setup setUp(Path dir, List<String> targets) {
        try (Platform p = Platform.open(Config.defaults(dir))) {
            CreatedTenant t = p.tenants().create("bench", "bench@local", "bench");
            String tid = t.tenant().tenantId();
            Principal me = Principal.local(tid);
            p.connections().changePolicy(me, List.of("127.0.0.1/32"), null, false);
            List<Source> out = new ArrayList<>();
            for (int i = 0; i < sources; i++) {
                Registration r = p.connectors().register(me, new RegistrationRequest("site-" + i, null, AuthMethod.HMAC, null, 60, new CredentialOptions(null, null)));
                out.add(new Source("/api/events/ingest/" + tid + "/" + r.connector().connectorId(), r.issued().credential().utf8()));
            }
            int k = 0;
            for (String url : targets) {
                Registration r = p.connectors().register(me, new RegistrationRequest("receiver-" + k++, url, AuthMethod.API_KEY, null, 60,
                        new CredentialOptions(null, null)));
                ObjectNode body = (ObjectNode) Json.tree("{\"name\":\"to-" + r.connector().systemName() + "\",\"target\":{\"connector_id\":\""
                        + r.connector().connectorId() + "\"}}");
                p.subscriptions().create(me, NewSubscription.fromJson(body)).signingSecret().destroy();
            }
            return new Setup(dir, t.adminToken().utf8(), out);
        }
    }

    private Gateway gateway(String name, String dirName, Setup s, int liveTargets) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m"));
        String extra = System.getenv("BENCH_GATEWAY_JVM");
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.replace("{name}", dirName).trim().split("\\s+")));
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--data-dir", s.dir().toString(), "--http-port", "0", "--https-port", "-1"));
        JsonNode l = startProcess(dirName, cmd);
        return new Gateway(name, children.get(children.size() - 1), l.get("http_port").asInt(), s, liveTargets);
    }

    /** Receiver stats since the last reset (and resets them when asked). */
    private List<JsonNode> stats(boolean reset) {
        JsonNode j = get("http://127.0.0.1:" + controlPort + (reset ? "/reset" : "/stats"), null);
        List<JsonNode> out = new ArrayList<>();
        j.forEach(out::add);
        return out;
    }

    /** Events the gateway's live subscriptions have still to deliver (the dead target's excluded: it never drains). */
    private long backlog(Gateway g) {
        JsonNode subs = get("http://127.0.0.1:" + g.port() + "/api/subscriptions", g.setup().token()).get("subscriptions");
        long total = 0;
        for (int i = 0; i < subs.size() && i < g.liveTargets(); i++) total += subs.get(i).get("backlog").asLong();
        return total;
    }

    private void drain(Gateway g, int seconds) {
        if (g.liveTargets() == 0) return;
        com.airotech.connect.testing.Await.until("the live subscriptions of " + g.name() + " to catch up", () -> backlog(g) == 0,
                java.time.Duration.ofSeconds(seconds));
    }

    private JsonNode get(String url, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30));
            if (token != null) b.header("Authorization", "Bearer " + token);
            return Json.tree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private JsonNode startProcess(String name, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve(name + ".log").toFile()).start();
        children.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        while (line != null && !line.startsWith("{")) line = r.readLine();
        if (line == null) throw new IllegalStateException(name + " exited before listening; see " + work.resolve(name + ".log"));
        return Json.tree(line);
    }

    private void write(List<Closed> closed, List<Open> open, List<Gateway> gateways) throws IOException {
        StringBuilder md = new StringBuilder("# Delivery benchmark results\n\n");
        md.append("Produced by `bench/delivery.sh` on ").append(Instant.now().toString(), 0, 19).append("Z. Do not edit by hand; run it again.\n\n");
        md.append("## Machine\n\n").append(machine()).append('\n');
        md.append("## Method\n\n");
        md.append(String.format(Locale.ROOT, "- Loopback only, every server its own JVM (`-Xmx512m`; the gateways run the packaged jar `serve`), on the same %d cores as the load generator.%n",
                Runtime.getRuntime().availableProcessors()));
        md.append(String.format(Locale.ROOT, "- Events: 1 KiB JSON, each signed anew (Standard Webhooks), from %d site gateways in turn (each subscription delivers each site gateway's events in order: %d lanes per subscription).%n",
                sources, sources));
        md.append("- Subscriptions deliver to connectors' webhook URLs on loopback receivers (Undertow, one JVM, 204, measuring lag = arrival − the event's `received_at`, the gateway's acknowledgement time). The dead target is a port nothing listens on (connection refused).\n");
        md.append(String.format(Locale.ROOT, "- Closed loop: %d keep-alive connections as fast as answered, %d s warm-up + %d s measured, %d rounds in turn (baseline, off, on, dead); the ratio is to the baseline of the same round. Before each gateway's turn the previous backlogs are drained.%n",
                connections, warmupMs / 1000, measureMs / 1000, rounds));
        md.append("- Open loop: at each rate, " + (warmupMs / 1000) + " s warm-up + " + (measureMs / 1000) + " s measured; lag and delivery rate per receiver over the measured seconds.\n");
        md.append("- CPU by thread (from /proc): ingest threads = Undertow's I/O and workers, the SQLite writer and checkpointer; delivery threads = delivery's runners and sending threads and the JDK HTTP client's own threads.\n\n");
        md.append("## Closed loop: ingest capacity with delivery off and on\n\n| round | scenario | req/s | ratio to baseline | p99 ms | errors | shed | server CPU µs/req | ingest threads µs/event | delivery threads µs/event | delivery |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Closed c : closed) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %d | %d | %.1f | %.1f | %.1f | %s |%n", c.round(), c.scenario(), c.result().rate(), c.ratio(),
                    c.result().p99Micros() / 1000.0, c.result().errors(), c.result().shed(), c.cpuMicros(), c.ingestMicros(), c.deliveryMicros(), c.delivery()));
        }
        md.append("\n| scenario | mean ratio | vs delivery off | ingest threads µs/event | vs delivery off |\n|---|---:|---:|---:|---:|\n");
        double offRatio = mean(closed, gateways.get(0).name(), Closed::ratio);
        double offIngest = mean(closed, gateways.get(0).name(), Closed::ingestMicros);
        for (Gateway g : gateways) {
            double r = mean(closed, g.name(), Closed::ratio);
            double ing = mean(closed, g.name(), Closed::ingestMicros);
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %+.0f %% | %.1f | %+.0f %% |%n", g.name(), r, (r / offRatio - 1) * 100, ing, (ing / offIngest - 1) * 100));
        }
        md.append("\n## Open loop: does delivery keep up, and how late\n\n");
        md.append("| rate/s | scenario | ingest ok/s | ingest p99 ms | ingest threads µs/event | receiver | deliveries/s | lag p50 ms | lag p99 ms | lag max ms | delivery threads µs/delivery | backlog at end | drained in |\n|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Open o : open) {
            for (int i = 0; i < o.receivers().size(); i++) {
                JsonNode r = o.receivers().get(i);
                boolean deadOne = o.scenario().contains("dead") && i == 2;
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", i == 0 ? String.format(Locale.ROOT, "%.0f", o.rate()) : "",
                        i == 0 ? o.scenario() : "", i == 0 ? String.format(Locale.ROOT, "%.0f", o.ingest().rate()) : "",
                        i == 0 ? String.format(Locale.ROOT, "%.2f", o.ingest().p99Micros() / 1000.0) : "", i == 0 ? String.format(Locale.ROOT, "%.1f", o.ingestMicros()) : "",
                        deadOne ? "dead target (not listening)" : "receiver " + (i + 1), deadOne ? "—" : r.get("rate").asText(), deadOne ? "—" : r.get("p50_ms").asText(),
                        deadOne ? "—" : r.get("p99_ms").asText(), deadOne ? "—" : r.get("max_ms").asText(),
                        i == 0 ? String.format(Locale.ROOT, "%.1f", o.deliveryMicrosPerDelivery()) : "", i == 0 ? Long.toString(o.backlogAtEnd()) : "",
                        i == 0 ? String.format(Locale.ROOT, "%.1f s", o.drainSeconds()) : ""));
            }
        }
        md.append("\nGoals: delivery keeps up with durable ingest at ≥ 5,000 events/s with lag p99 < 1 s; one dead target costs the others nothing measurable;"
                + " ingest's ratio to the baseline falls by ≤ 10 % with delivery on.\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    private static double mean(List<Closed> closed, String scenario, java.util.function.ToDoubleFunction<Closed> f) {
        return closed.stream().filter(c -> c.scenario().equals(scenario)).mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String machine() {
        StringBuilder s = new StringBuilder();
        try {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
            s.append("- CPU: ").append(cpu).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores available (shared with other work)\n");
            s.append("- Load average before the run: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
        } catch (IOException e) {
            s.append("- (no /proc)\n");
        }
        s.append("- Disk: ").append(Bench.fsyncProbe()).append('\n');
        s.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        return s.toString();
    }

    /**
     * CPU time (ns) the process's threads used so far, by what they do: "ingest" (Undertow's I/O and
     * worker threads, the SQLite writer and checkpointer), "delivery" (delivery's runners and sending
     * threads, and the HTTP client's own threads), "other". From /proc, thread names as the kernel keeps them.
     */
    static java.util.Map<String, Long> threadCpu(Process p) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
        long tick = 10_000_000L; // USER_HZ is 100 on Linux
        try (var dirs = Files.list(tasks)) {
            for (Path t : dirs.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
                    String cat = comm.startsWith("XNIO") || comm.startsWith("sqlite-") ? "ingest"
                            : comm.startsWith("delivery-") || comm.startsWith("HttpClient") ? "delivery" : "other";
                    out.merge(cat, ns, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
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
