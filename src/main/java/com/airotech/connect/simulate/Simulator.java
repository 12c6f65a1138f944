package com.airotech.connect.simulate;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Site gateways for a demo: one per connector of an import report that carries its credential,
 * each posting plausible events at {@code rate} per second, until {@code count} events each or
 * {@code duration} has passed (or the process is stopped).
 */
public final class Simulator {
    public record Settings(URI httpBase, URI httpsBase, double ratePerSecond, long countPerGateway, Duration duration) {
        public Settings {
            if (!(ratePerSecond > 0 && ratePerSecond <= 1000)) throw new IllegalArgumentException("--rate must be above 0 and at most 1000 events per second per gateway.");
            if (countPerGateway < 0) throw new IllegalArgumentException("--count must be 0 (no limit) or more.");
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final PrintStream progress;
    private final List<Stats> stats = new ArrayList<>();

    private static final class Stats {
        final SimulatedGateway g;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);

        Stats(SimulatedGateway g) { this.g = g; }
    }

    public Simulator(Settings settings, Clock clock, PrintStream progress) {
        this.settings = settings;
        this.clock = clock;
        this.progress = progress;
    }

    /** Builds the gateways from an import report ({@code connectors[]}); refuses a report with none usable. */
    public int load(JsonNode importReport) throws IOException, GeneralSecurityException {
        JsonNode connectors = importReport.path("connectors");
        if (!connectors.isArray()) throw new IllegalArgumentException("The credentials file is not an import report: it has no \"connectors\" array. Pass the JSON that 'airotech-connect import' printed.");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (JsonNode c : connectors) {
            SimulatedGateway g = SimulatedGateway.of(c, settings.httpBase(), settings.httpsBase(), plain, clock);
            if (g != null) stats.add(new Stats(g));
        }
        if (stats.isEmpty()) {
            throw new IllegalArgumentException("No connector in the credentials file carries a credential. Credentials are printed only by the import "
                    + "that created the connectors: import into a fresh data directory, or rotate a connector and simulate with its new credential.");
        }
        return stats.size();
    }

    /** Runs until every gateway sent its count or the duration ends; returns the summary. */
    private volatile boolean stopRequested;

    /** Ends {@link #run} early (Ctrl-C, SIGTERM): no new events, the ones in flight are answered, then the summary. */
    public void stop() { stopRequested = true; }

    public ObjectNode run() throws InterruptedException {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(Math.min(8, stats.size()), r -> {
            Thread t = new Thread(r, "simulated-gateway");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = Math.max(1, Math.round(1_000_000 / settings.ratePerSecond()));
        for (Stats s : stats) {
            progress.println("simulate: " + s.g.systemName + " (" + s.g.method + ", " + s.g.connectorId + ") posting every "
                    + (periodMicros / 1000) + " ms");
            pool.scheduleAtFixedRate(() -> tick(s), 0, periodMicros, TimeUnit.MICROSECONDS);
        }
        long deadline = settings.duration() == null || settings.duration().isZero() ? Long.MAX_VALUE
                : System.nanoTime() + settings.duration().toNanos();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Stats pending = firstPending(); pending != null && !stopRequested && System.nanoTime() < deadline; pending = firstPending()) {
                pending.done.await(deadline == Long.MAX_VALUE ? 500 : Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
                if (System.nanoTime() > nextReport) {
                    progress.println("simulate: " + totals());
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                }
            }
        } finally {
            // no new ticks; the requests in flight finish (each has its own timeout) so they are counted as answered
            pool.shutdown();
            if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return summary();
    }

    private void tick(Stats s) {
        if (settings.countPerGateway() > 0 && s.sent.get() >= settings.countPerGateway()) {
            s.done.countDown();
            return;
        }
        long n = s.sent.incrementAndGet();
        try {
            int status = s.g.send(s.g.events.nextType(), n);
            if (status == 200 || status == 202) s.accepted.incrementAndGet();
            else {
                if (s.rejected.incrementAndGet() == 1) progress.println("simulate: " + s.g.systemName + " was refused: " + s.g.lastError);
            }
        } catch (IOException | GeneralSecurityException e) {
            if (s.failed.incrementAndGet() == 1) {
                progress.println("simulate: " + s.g.systemName + " cannot reach the gateway at " + s.g.target() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Is 'airotech-connect serve' (or the console) running, with its "
                        + ("mtls".equals(s.g.method) ? "HTTPS listener on? Use --https-url" : "HTTP listener? Use --url") + " for another address.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (settings.countPerGateway() > 0 && n >= settings.countPerGateway()) s.done.countDown();
    }

    private Stats firstPending() {
        for (Stats s : stats) if (s.done.getCount() > 0) return s;
        return null;
    }

    private String totals() {
        long sent = 0, ok = 0, bad = 0, failed = 0;
        for (Stats s : stats) {
            sent += s.sent.get();
            ok += s.accepted.get();
            bad += s.rejected.get();
            failed += s.failed.get();
        }
        return "sent " + sent + ", accepted " + ok + ", refused " + bad + ", unreachable " + failed;
    }

    private ObjectNode summary() {
        ObjectNode out = Json.object();
        long sent = 0, ok = 0;
        var arr = out.putArray("gateways");
        for (Stats s : stats) {
            sent += s.sent.get();
            ok += s.accepted.get();
            arr.addObject().put("system_name", s.g.systemName).put("auth_method", s.g.method).put("connector_id", s.g.connectorId)
                    .put("sent", s.sent.get()).put("accepted", s.accepted.get()).put("refused", s.rejected.get()).put("unreachable", s.failed.get());
        }
        out.put("sent", sent).put("accepted", ok);
        return out;
    }
}
