package com.airotech.connect.bench;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.bus.Outbox;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.ingest.EventQuery;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.ConsoleProbe;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The query benchmark (bench/queries.sh): fills a data directory with millions of events (5 M by
 * default) straight into SQLite, in a realistic shape (tenants of very different sizes, connectors,
 * event types from common to rare, 1 KB JSON bodies, a month of receive times, an audit trail and a
 * Kafka backlog), upgrades it to the current schema as a site's database would be, then times every
 * query the API, the command line and the console run, warm, and the old statements they replaced.
 * Writes bench/QUERIES.md.
 */
public final class QueryBench {
    private static final String[] TYPES = {"temp_reading", "door_open", "meter_reading", "door_close", "occupancy", "co2_reading",
            "alarm", "fault", "badge_denied", "firmware", "tamper", "power_loss"};
    /** Relative frequency of each type: readings dominate, alarms and tampering are rare. */
    private static final double[] TYPE_WEIGHT = {40, 18, 15, 12, 6, 5, 2, 1, 0.5, 0.3, 0.1, 0.1};

    record Timing(String query, String caller, int runs, double firstMs, double medianMs, double p95Ms, double maxMs, double goalMs, String note) {}

    private long events = 5_000_000;
    private int tenants = 20;
    private int auditEntries = 200_000;
    private int outboxBacklog = 500_000;
    private int runs = 40;
    private Path out = Path.of("bench/QUERIES.md");
    private final Random random = new Random(42);
    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        QueryBench b = new QueryBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> b.events = Long.parseLong(args[++i]);
                case "--tenants" -> b.tenants = Integer.parseInt(args[++i]);
                case "--audit" -> b.auditEntries = Integer.parseInt(args[++i]);
                case "--outbox" -> b.outboxBacklog = Integer.parseInt(args[++i]);
                case "--runs" -> b.runs = Integer.parseInt(args[++i]);
                case "--out" -> b.out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        b.run();
        System.exit(0);
    }

    /** What the fill made: the tenants (largest first) with their connectors. */
    record Site(List<String> tenantIds, List<String> tokens, List<List<String>> connectors, long firstReceived, long lastReceived) {}

    private void run() throws Exception {
        Path dir = com.airotech.connect.testing.TempDirs.create("airotech-queries").resolve("data");
        say("data directory " + dir);
        long t0 = System.nanoTime();
        Site site = setUp(dir);
        Path db = dir.resolve("airotech.db");
        asBeforeSchema4(db);
        fill(db, site);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        // the site's next start on the new version: schema 4 builds its indexes and summaries over the filled log
        Database.open(db).close();
        double upgradeSeconds = (System.nanoTime() - t1) / 1e9;
        fillAudit(db, site);
        say(String.format(Locale.ROOT, "filled %,d events in %.0f s; upgrade to the current schema took %.1f s", events, fillSeconds, upgradeSeconds));
        long dbBytes = Files.size(db);

        List<Timing> timings = new ArrayList<>();
        try (Platform p = Platform.open(Config.defaults(dir).withPorts(0, -1))) {
            p.startGateway();
            p.pruner().close(); // a bench of reads: no pruning rounds meanwhile
            int port = p.gateway().httpPort();
            timings.addAll(measure(p, site, port));
        }
        write(timings, dbBytes, fillSeconds, upgradeSeconds);
        say("results written to " + out);
    }

    /** Tenants and connectors through the services, as a site has them (their audit entries included). */
    private Site setUp(Path dir) {
        // set up a month ago, before the events and audit entries that follow
        Instant start = Instant.now().minus(Duration.ofDays(30));
        try (Platform p = Platform.open(Config.defaults(dir).withClock(new com.airotech.connect.testing.ManualClock(start)))) {
            List<String> ids = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            List<List<String>> connectors = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                CreatedTenant ct = p.tenants().create("site-" + t, "ops@site-" + t, "bench");
                ids.add(ct.tenant().tenantId());
                tokens.add(ct.adminToken().utf8());
                // a few large sites with many sensors, many small ones
                int n = t == 0 ? 40 : t < 4 ? 20 : 6;
                List<String> cs = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    AuthMethod m = AuthMethod.values()[c % AuthMethod.values().length];
                    Registration r = p.connectors().register(Principal.local(ct.tenant().tenantId()),
                            new RegistrationRequest("sensor-" + c, null, m == AuthMethod.MTLS || m == AuthMethod.RSA ? AuthMethod.HMAC : m, null, 60, null));
                    cs.add(r.connector().connectorId());
                }
                connectors.add(cs);
            }
            long last = Instant.now().minus(Duration.ofMinutes(5)).toEpochMilli();
            long first = last - Duration.ofDays(29).toMillis();
            return new Site(ids, tokens, connectors, first, last);
        }
    }

    private int weightedType() {
        double total = Arrays.stream(TYPE_WEIGHT).sum();
        double x = random.nextDouble() * total;
        for (int i = 0; i < TYPES.length; i++) {
            x -= TYPE_WEIGHT[i];
            if (x <= 0) return i;
        }
        return 0;
    }

    /** Tenant shares: the first takes 40 %, the next three 10 % each, the rest share what is left. */
    private int weightedTenant() {
        double x = random.nextDouble();
        if (x < 0.40) return 0;
        if (x < 0.70) return 1 + random.nextInt(Math.min(3, tenants - 1));
        return tenants <= 4 ? tenants - 1 : 4 + random.nextInt(tenants - 4);
    }

    private static final String PAD = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(40);

    private byte[] body(String type, String eventId, long occurred) {
        String data = "{\"event_type\":\"" + type + "\",\"event_id\":\"" + eventId + "\",\"occurred_at\":\"" + Times.format(Instant.ofEpochMilli(occurred))
                + "\",\"data\":{\"site\":\"north\",\"zone\":\"B" + random.nextInt(9) + "\",\"value\":" + (random.nextInt(4000) / 100.0)
                + ",\"unit\":\"C\",\"firmware\":\"4.2." + random.nextInt(20) + "\",\"raw\":\"";
        int pad = Math.max(0, 1000 - data.length() - 3);
        int from = random.nextInt(PAD.length() - pad);
        return (data + PAD.substring(from, from + pad) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The events, straight into SQLite in large transactions (fast, and the rows are what ingest writes), and an outbox backlog. */
    private void fill(Path db, Site site) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=OFF");
            s.execute("PRAGMA cache_size=-262144");
            c.setAutoCommit(false);
            long step = Math.max(1, (site.lastReceived() - site.firstReceived()) / events);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO events (tenant_id, connector_id, event_id, event_type, occurred_at, received_at,"
                    + " webhook_id, body) VALUES (?,?,?,?,?,?,?,?)")) {
                long at = site.firstReceived();
                for (long i = 0; i < events; i++) {
                    int t = weightedTenant();
                    List<String> cs = site.connectors().get(t);
                    // a connector's share falls with its number: a few chatty sensors, many quiet ones
                    int k = (int) Math.min(cs.size() - 1, Math.floor(Math.abs(random.nextGaussian()) * cs.size() / 3.0));
                    String type = TYPES[weightedType()];
                    String eventId = "ev-" + Long.toHexString(random.nextLong());
                    at += step;
                    ins.setString(1, site.tenantIds().get(t));
                    ins.setString(2, cs.get(k));
                    ins.setString(3, eventId);
                    ins.setString(4, type);
                    ins.setLong(5, at - 1000);
                    ins.setLong(6, at);
                    ins.setString(7, k % 3 == 0 ? "msg_" + Long.toHexString(random.nextLong()) : null);
                    ins.setBytes(8, body(type, eventId, at - 1000));
                    ins.executeUpdate();
                    if (i % 50_000 == 49_999) {
                        c.commit();
                        if (i % 500_000 == 499_999) say(String.format(Locale.ROOT, "  %,d events", i + 1));
                    }
                }
            }
            c.commit();
            // a Kafka backlog: the newest events not yet published
            s.execute("INSERT INTO outbox (event_seq, created_at) SELECT seq, received_at FROM events WHERE seq > (SELECT max(seq) FROM events) - " + outboxBacklog);
            c.commit();
            c.setAutoCommit(true);
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /**
     * The database as the previous release left it (schema 3): the tenants and connectors made through
     * the services stay, what schema 4 adds goes, so that the fill is followed by a real upgrade.
     */
    private static void asBeforeSchema4(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String index : List.of("events_tenant_type", "events_tenant_connector", "audit_tenant_action",
                    "audit_tenant_target", "audit_tenant_actor", "audit_tenant_at")) {
                s.execute("DROP INDEX " + index);
            }
            for (String table : List.of("event_counts", "outbox_counts", "retention_policies", "retention_site", "retention_state", "audit_anchors")) {
                s.execute("DROP TABLE " + table);
            }
            s.execute("DELETE FROM schema_version WHERE version = 4");
        }
    }

    private void fillAudit(Path db, Site site) {
        // the audit trail through the service, so its chain is real: rejected senders over the months, mostly of the large tenant
        // written over the month the events span, in time order as a site writes them
        // (opened at the real time: the gateway reads the replay window of the last minutes when it starts)
        com.airotech.connect.testing.ManualClock clock = new com.airotech.connect.testing.ManualClock(Instant.now());
        long step = (site.lastReceived() - site.firstReceived()) / Math.max(1, auditEntries);
        try (Platform p = Platform.open(Config.defaults(db.getParent()).withClock(clock))) {
            p.pruner().close();
            clock.set(Instant.ofEpochMilli(site.firstReceived()));
            int batch = 5000;
            for (int done = 0; done < auditEntries; done += batch) {
                int n = Math.min(batch, auditEntries - done);
                p.database().write(w -> {
                    for (int i = 0; i < n; i++) {
                        int t = random.nextDouble() < 0.6 ? 0 : random.nextInt(tenants);
                        List<String> cs = site.connectors().get(t);
                        String target = cs.get(random.nextInt(cs.size()));
                        AuditAction action = random.nextInt(100) == 0 ? AuditAction.CONNECTOR_ROTATED : AuditAction.AUTH_REJECTED;
                        clock.advance(Duration.ofMillis(step));
                        p.audit().append(w, site.tenantIds().get(t), "system", action, target,
                                Json.object().put("signature_invalid", 1 + random.nextInt(40)).put("sources", "10.20.0." + random.nextInt(255)));
                    }
                    return null;
                });
            }
            say(String.format(Locale.ROOT, "  %,d audit entries", auditEntries));
        }
    }

    // ------------------------------------------------------------------ measuring

    private double time(Callable<?> c) throws Exception {
        long t = System.nanoTime();
        Object r = c.call();
        if (r == null) throw new IllegalStateException("no result");
        return (System.nanoTime() - t) / 1e6;
    }

    private Timing timed(String query, String caller, double goalMs, Callable<?> c) throws Exception {
        return timed(query, caller, goalMs, "", c);
    }

    private Timing timed(String query, String caller, double goalMs, String note, Callable<?> c) throws Exception {
        double first = time(c);
        // the whole-trail check and the old statements take seconds each: a few runs tell enough
        int n = goalMs > 1000 || query.startsWith("before:") ? Math.min(runs, 5) : runs;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = time(c);
        Arrays.sort(t);
        Timing x = new Timing(query, caller, n, first, t[n / 2], t[(int) Math.ceil(n * 0.95) - 1], t[n - 1], goalMs, note);
        say(String.format(Locale.ROOT, "  %-70s first %8.2f  median %8.2f  p95 %8.2f  max %8.2f ms", query, first, x.medianMs(), x.p95Ms(), x.maxMs()));
        return x;
    }

    private String get(int port, String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static String enc(Instant t) { return URLEncoder.encode(Times.format(t), StandardCharsets.UTF_8); }

    private List<Timing> measure(Platform p, Site site, int port) throws Exception {
        List<Timing> out = new ArrayList<>();
        String big = site.tenantIds().get(0);
        String token = site.tokens().get(0);
        Principal pb = Principal.local(big);
        String connector = site.connectors().get(0).get(0);
        String quietConnector = site.connectors().get(0).get(site.connectors().get(0).size() - 1);
        Instant last = Instant.ofEpochMilli(p.database().read(c -> one(c, "SELECT max(received_at) FROM events")));
        long midSeq = p.database().read(c -> one(c, "SELECT seq FROM events WHERE tenant_id = '" + big + "' AND seq > (SELECT max(seq) / 2 FROM events) ORDER BY seq LIMIT 1"));
        long storedOfBig = p.ingest().count(pb);
        long auditMidSeq = p.database().read(c -> one(c, "SELECT seq FROM audit WHERE tenant_id = '" + big + "' ORDER BY seq LIMIT 1 OFFSET "
                + (one(c, "SELECT count(*) FROM audit WHERE tenant_id = '" + big + "'") / 2)));
        Instant auditMid = Instant.ofEpochMilli(p.database().read(c -> one(c, "SELECT at FROM audit WHERE seq = " + auditMidSeq)));
        say(String.format(Locale.ROOT, "measuring: tenant %s holds %,d of the events", big, storedOfBig));

        say("API (HTTP, the largest tenant)");
        out.add(timed("GET /api/events?limit=100 (oldest first)", "API, CLI scripts", 20, () -> get(port, token, "/api/events?limit=100")));
        out.add(timed("GET /api/events?limit=100&cursor=<middle of the log>", "API paging", 20, () -> get(port, token, "/api/events?limit=100&cursor=" + midSeq)));
        out.add(timed("GET /api/events?order=desc&limit=100", "API (newest first)", 20, () -> get(port, token, "/api/events?order=desc&limit=100")));
        out.add(timed("GET /api/events?order=desc&limit=100&cursor=<middle>", "API paging backwards", 20, () -> get(port, token, "/api/events?order=desc&limit=100&cursor=" + midSeq)));
        out.add(timed("GET /api/events?since=<1 h ago>&limit=100", "API", 20, () -> get(port, token, "/api/events?limit=100&since=" + enc(last.minus(Duration.ofHours(1))))));
        out.add(timed("GET /api/events?since=<15 days ago>&limit=100", "API", 20, () -> get(port, token, "/api/events?limit=100&since=" + enc(last.minus(Duration.ofDays(15))))));
        out.add(timed("GET /api/events?type=temp_reading&limit=100", "API (common type)", 20, () -> get(port, token, "/api/events?limit=100&type=temp_reading")));
        out.add(timed("GET /api/events?type=tamper&limit=100", "API (rare type, 0.1 %)", 20, () -> get(port, token, "/api/events?limit=100&type=tamper")));
        out.add(timed("GET /api/events?type=tamper&order=desc&since=<7 days ago>", "API", 20,
                () -> get(port, token, "/api/events?limit=100&order=desc&type=tamper&since=" + enc(last.minus(Duration.ofDays(7))))));
        out.add(timed("GET /api/events?connector_id=<busiest>&limit=100", "API", 20, () -> get(port, token, "/api/events?limit=100&connector_id=" + connector)));
        out.add(timed("GET /api/events?connector_id=<quietest>&type=alarm&limit=100", "API (both filters, rare)", 20,
                () -> get(port, token, "/api/events?limit=100&type=alarm&connector_id=" + quietConnector)));
        out.add(timed("GET /api/status", "API, monitoring", 20, () -> get(port, token, "/api/status")));
        out.add(timed("GET /api/retention", "API", 20, () -> get(port, token, "/api/retention")));
        out.add(timed("GET /api/audit?limit=100", "API, CLI audit list", 20, () -> get(port, token, "/api/audit?limit=100")));
        out.add(timed("GET /api/audit?action=connector.rotated&limit=100", "API, CLI audit list --action", 20,
                () -> get(port, token, "/api/audit?limit=100&action=connector.rotated")));
        out.add(timed("GET /api/audit?from=<1 day ago>&limit=100", "API, console Audit trail", 20,
                () -> get(port, token, "/api/audit?limit=100&from=" + enc(last.minus(Duration.ofDays(1))))));
        out.add(timed("GET /api/audit?to=<the middle of the trail>&cursor=<past it>", "API, console Audit trail", 20,
                () -> get(port, token, "/api/audit?limit=100&to=" + enc(auditMid) + "&cursor=" + auditMidSeq)));
        out.add(timed("GET /api/audit?connector_id=<one of 40>&limit=100", "API, CLI audit list --connector-id", 20,
                () -> get(port, token, "/api/audit?limit=100&connector_id=" + quietConnector)));
        out.add(timed("GET /api/audit?actor=ops@site-0&limit=100", "API, CLI audit list --actor", 20,
                () -> get(port, token, "/api/audit?limit=100&actor=ops%40site-0")));
        out.add(timed("GET /metrics", "Prometheus scrape", 20, () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        }));

        say("console (each runs in a background task; the Overview every 10 s)");
        out.add(timed("Overview refresh, in one go (connectors, counts, last event, audit, connections, status)", "console Overview (every 10 s)", 50,
                () -> ConsoleProbe.overview(p, pb)));
        out.add(timed("last event per connector (event_counts)", "console Overview, Connectors", 50, () -> p.ingest().lastReceivedByConnector(pb)));
        out.add(timed("events stored (event_counts)", "console Overview, /api/status", 50, () -> p.ingest().count(pb)));
        out.add(timed("oldest stored event", "console Overview, /api/status", 50, () -> p.ingest().oldestStored(pb)));
        out.add(timed("status report (service)", "console Overview", 50, () -> p.status().report(pb)));
        out.add(timed("connectors list", "console Connectors, CLI", 50, () -> p.connectors().list(pb)));
        out.add(timed("latest 8 audit entries", "console Overview", 50, () -> p.audit().latest(big, 8)));
        out.add(timed("Events screen, live: the last minute, 1000 per page", "console Events", 50,
                () -> p.ingest().events(pb, new EventQuery(null, null, last.minus(Duration.ofMinutes(1)), EventQuery.MAX_LIMIT, null))));
        out.add(timed("Events screen, history from a day, 200 per page", "console Events", 50,
                () -> p.ingest().events(pb, new EventQuery(null, null, last.minus(Duration.ofDays(10)), 200, null))));
        out.add(timed("Audit trail screen: a page with a text search", "console Audit trail", 50,
                "a text search reads entries until a page is full",
                () -> p.audit().page(big, new AuditQuery(null, null, null, null, null, "10.20.0.7", 100, null))));
        out.add(timed("audit chain check of every tenant (" + String.format(Locale.ROOT, "%,d", auditEntries) + " entries)",
                "CLI audit verify; console Overview (on opening, then every 5 min)", 60_000, "reads the whole trail by design", () -> p.audit().verify()));

        say("storage, retention and the outbox");
        Outbox outbox = new Outbox(p.database(), java.time.Clock.systemUTC());
        out.add(timed("storage health (sizes, free space)", "/api/status, /metrics, retention show", 20, () -> p.storageHealth().measure()));
        out.add(timed("outbox depth and oldest, whole gateway", "/api/status, /metrics", 20, () -> outbox.stats()));
        out.add(timed("outbox depth of one tenant", "/api/status", 20, () -> outbox.depth(big)));
        out.add(timed("lowest seq the outbox holds (pruner)", "retention", 20, () -> p.database().read(c -> outbox.lowestHeldSeq(c, big))));

        say("the statements these replaced, on the same database (for comparison)");
        out.add(timed("before: max(received_at) GROUP BY connector_id", "old console Overview, Connectors", 50, "replaced by event_counts",
                () -> p.database().read(c -> one(c, "SELECT count(*) FROM (SELECT connector_id, max(received_at) FROM events WHERE tenant_id = '" + big + "' GROUP BY connector_id)"))));
        out.add(timed("before: count(*) of the tenant's events", "old /api/status", 20, "replaced by event_counts",
                () -> p.database().read(c -> one(c, "SELECT count(*) FROM events WHERE tenant_id = '" + big + "'"))));
        out.add(timed("before: since=<1 h ago> on the tenant's seq index", "old GET /api/events?since=", 20, "replaced by a seq range",
                () -> p.database().read(c -> one(c, "SELECT count(*) FROM (SELECT seq FROM events INDEXED BY events_tenant_seq WHERE tenant_id = '" + big
                        + "' AND received_at >= " + last.minus(Duration.ofHours(1)).toEpochMilli() + " ORDER BY seq LIMIT 101)"))));
        out.add(timed("before: type=tamper on the tenant's seq index", "old GET /api/events?type=", 20, "replaced by events_tenant_type",
                () -> p.database().read(c -> one(c, "SELECT count(*) FROM (SELECT seq FROM events INDEXED BY events_tenant_seq WHERE tenant_id = '" + big
                        + "' AND event_type = 'tamper' ORDER BY seq LIMIT 101)"))));
        out.add(timed("before: count(*) of the outbox", "old /api/status, /metrics", 20, "replaced by outbox_counts",
                () -> p.database().read(c -> one(c, "SELECT count(*) FROM outbox"))));
        return out;
    }

    private static long one(Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void write(List<Timing> timings, long dbBytes, double fillSeconds, double upgradeSeconds) throws IOException {
        StringBuilder md = new StringBuilder("# Query times at ").append(String.format(Locale.ROOT, "%,d", events)).append(" events\n\n");
        md.append("Produced by `bench/queries.sh` on ").append(Instant.now().toString(), 0, 19).append("Z. Do not edit by hand; run it again.\n\n");
        md.append("## Machine\n\n").append(Bench.machine()).append('\n');
        md.append("## Data\n\n");
        md.append(String.format(Locale.ROOT, "- %,d events of %d tenants (the largest holds about 40 %%, three more 10 %% each), %d to 40 connectors each"
                + " (a few chatty, many quiet), 12 event types from 40 %% down to 0.1 %%, ~1 KB JSON bodies, receive times over 29 days.%n", events, tenants, 6));
        md.append(String.format(Locale.ROOT, "- %,d audit entries (mostly auth.rejected of the largest tenant, 1 %% connector.rotated); a Kafka backlog of %,d events in the outbox.%n",
                auditEntries, outboxBacklog));
        md.append(String.format(Locale.ROOT, "- Filled straight into SQLite in %.0f s (the rows ingest writes); then the site's upgrade to the current schema"
                + " (building the listing indexes and summaries of schema 4 over the filled log) took %.1f s.%n", fillSeconds, upgradeSeconds));
        md.append(String.format(Locale.ROOT, "- Database file: %,d bytes, %.0f bytes per event (indexes and summaries included; filled in order, so pages are"
                + " fuller than after months of ingest: see bench/SOAK-RETENTION.md for bytes per event at steady state).%n%n", dbBytes, (double) dbBytes / events));
        md.append("## Method\n\n");
        md.append(String.format(Locale.ROOT, "- Each query once (\"first\"), then %d more times (3 for the audit chain check); median, 95th percentile and maximum"
                + " of those, in milliseconds. HTTP rows go through the gateway on loopback, JSON included; the others call the service the console"
                + " and the command line call. The page cache is warm: the 24 GB machine holds the file.%n", runs));
        md.append("- Goals: every API, command-line and status query under 20 ms; nothing the console runs over 50 ms.\n\n");
        md.append("## Results\n\n| query | who runs it | first | median | p95 | max | goal | |\n|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Timing t : timings) {
            boolean before = t.query().startsWith("before:");
            String verdict = before ? "for comparison" : t.goalMs() > 1000 ? "whole trail" : t.p95Ms() <= t.goalMs() ? "met" : "**missed**";
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s%s |%n", t.query(), t.caller(), t.firstMs(), t.medianMs(), t.p95Ms(),
                    t.maxMs(), t.goalMs() > 1000 ? "—" : String.format(Locale.ROOT, "%.0f", t.goalMs()), verdict, t.note().isEmpty() ? "" : "; " + t.note()));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    private static void say(String s) { System.out.println(s); }
}
