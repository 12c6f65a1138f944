package com.airotech.connect.retention;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.ingest.EventCounts;
import com.airotech.connect.ingest.EventHold;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.WriteContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what retention no longer keeps, on its own thread, in small batches through the
 * group-commit writer, so ingest is never stalled for more than one short batch.
 *
 * <p>Each round, in order:
 * <ol>
 * <li><b>The disk floor.</b> While the disk holding the data directory has less free space than the
 * floor (counting pages the database would reuse), the oldest events of any tenant go, whatever their
 * age and whoever holds them: each hold first gives up what it keeps for them, in the same
 * transaction as the delete. Every such removal is counted in that transaction and, per tenant and
 * round, audited as {@code events.pruned_unpublished} with the count and the seq and time range.</li>
 * <li><b>Age.</b> A tenant's events older than its {@code max_age_days} go, but only below the lowest
 * {@code seq} any {@link EventHold} still needs (unpublished to Kafka, undelivered).</li>
 * <li><b>The audit trail</b>, when the operator turned its own retention on: entries older than
 * {@code audit_max_age_days} go, the chain anchored (see {@link AuditLog#prune}).</li>
 * <li><b>Space.</b> On a database with {@code auto_vacuum=INCREMENTAL} (every database made by this
 * version) freed pages beyond a small reserve go back to the disk, a few hundred at a time. A database
 * made before keeps its freed pages and new events reuse them, so its file stops growing but does
 * not shrink.</li>
 * </ol>
 * Every delete runs on the writer's connection and reads the rows it removes in the same transaction,
 * so the per-connector summaries ({@link EventCounts}) are counted down exactly, whatever ingest does
 * meanwhile.
 */
public final class Pruner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    /** Tunables; {@link #fromSystemProperties()} reads the hidden ones tests and soaks use. */
    public record Options(Duration day, Duration interval, int batch, Duration pause) {
        public static final Options DEFAULTS = new Options(Duration.ofDays(1), Duration.ofSeconds(10), 500, Duration.ofMillis(2));

        /**
         * {@code airotech.retention.dayMillis} makes a retention "day" shorter (a soak compresses a day
         * of traffic into a minute), {@code airotech.retention.intervalMillis} the pause between rounds,
         * {@code airotech.retention.batch} the events per delete.
         */
        public static Options fromSystemProperties() {
            return new Options(Duration.ofMillis(Long.getLong("airotech.retention.dayMillis", DEFAULTS.day().toMillis())),
                    Duration.ofMillis(Long.getLong("airotech.retention.intervalMillis", DEFAULTS.interval().toMillis())),
                    Integer.getInteger("airotech.retention.batch", DEFAULTS.batch()), DEFAULTS.pause());
        }
    }

    /** What one round removed. */
    public record Round(long aged, long forced, long forcedHeld, long auditEntries, long pagesFreed) {
        public long events() { return aged + forced; }
    }

    /** Freed pages kept inside the database for new rows rather than given back (4 MiB of 4 KiB pages). */
    static final long RESERVE_PAGES = 1024;
    private static final int VACUUM_STEP_PAGES = 256;
    private static final int AUDIT_BATCH = 2000;
    /** Forced pruning stops this far above the floor, so it does not start again with the next few events. */
    private static final double HYSTERESIS_PERCENT = 0.5;

    static final String OLDEST_OF_TENANT = "SELECT seq, received_at FROM events WHERE tenant_id = ? ORDER BY seq LIMIT 1";
    static final String AGED_BATCH = "SELECT seq, connector_id, received_at, event_type FROM events WHERE tenant_id = ? ORDER BY seq LIMIT ?";
    static final String DELETE_RANGE = "DELETE FROM events WHERE tenant_id = ? AND seq >= ? AND seq <= ?";
    static final String OLDEST_BATCH = "SELECT seq, tenant_id, connector_id, received_at, event_type FROM events WHERE seq > ? AND seq < ? ORDER BY seq LIMIT ?";
    static final String NEWEST = "SELECT max(seq) FROM events";

    private final Database db;
    private final AuditLog audit;
    private final List<EventHold> holds;
    private final StorageHealth health;
    private final Clock clock;
    private final Options options;
    private final Thread thread;
    private final Object wake = new Object();
    /** Below the floor, every round says so at most once an hour (each removal is in the audit trail anyway). */
    private final com.airotech.connect.common.ReportThrottle belowFloorReports = new com.airotech.connect.common.ReportThrottle(Duration.ofHours(1));
    private final com.airotech.connect.common.ReportThrottle emptyFloorReports = new com.airotech.connect.common.ReportThrottle(Duration.ofHours(1));
    private final com.airotech.connect.common.ReportThrottle removedReports = new com.airotech.connect.common.ReportThrottle(Duration.ofMinutes(1));
    private volatile boolean closed;
    private volatile Instant lastRoundAt;
    private volatile String lastProblem;

    public Pruner(Database db, AuditLog audit, List<EventHold> holds, StorageHealth health, Clock clock, Options options) {
        this.db = db;
        this.audit = audit;
        this.holds = List.copyOf(holds);
        this.health = health;
        this.clock = clock;
        this.options = options;
        this.thread = new Thread(this::loop, "retention");
        this.thread.setDaemon(true);
    }

    public Options options() { return options; }

    /** Starts pruning in the background (the gateway does; one-shot commands do not). */
    public void start() { thread.start(); }

    /** When the last round ended (null before the first). */
    public Instant lastRoundAt() { return lastRoundAt; }

    /** Why the last round failed, or null when it did not. */
    public String lastProblem() { return lastProblem; }

    private void loop() {
        while (!closed) {
            Round r = null;
            try {
                r = runOnce();
                lastProblem = null;
            } catch (RuntimeException e) {
                if (closed) break;
                // a full disk, a busy database: the next round tries again; said once per kind of trouble
                String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!problem.equals(lastProblem)) log.warn("Retention could not prune this round ({}); it tries again in {} s.", e.getMessage(), options.interval().toSeconds());
                lastProblem = problem;
            }
            // a round that removed a full batch somewhere may have more to do: go again at once
            boolean more = r != null && r.events() >= options.batch();
            if (!more) pause(options.interval().toMillis());
        }
    }

    private void pause(long millis) {
        synchronized (wake) {
            if (closed) return;
            try {
                wake.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /**
     * True when the round in progress should end early: the pruner was closed and this is its own
     * thread. A round run by another thread (a test, a command) always completes.
     */
    private boolean stopping() { return closed && Thread.currentThread() == thread; }

    /** Runs one round now, on the calling thread (also after {@link #close()}, which only stops the background thread). */
    public Round runOnce() {
        Instant now = clock.instant();
        RetentionService.Site site = db.read(RetentionService::site);
        if (forcedPending()) flushForced(site, null); // a round that ended early (a crash, a stop) left them
        long[] forced = forcedByDiskFloor(site);
        long aged = 0;
        if (!now.isBefore(site.agePruningFrom())) {
            Map<String, Integer> tenants = db.read(RetentionService::maxAgeByTenant);
            for (Map.Entry<String, Integer> t : tenants.entrySet()) {
                if (stopping()) break;
                aged += pruneByAge(t.getKey(), now.minus(options.day().multipliedBy(t.getValue())));
            }
        }
        long auditEntries = 0;
        if (site.auditMaxAgeDays() != null) {
            Instant before = now.minus(options.day().multipliedBy(site.auditMaxAgeDays()));
            for (String t : db.read(RetentionService::maxAgeByTenant).keySet()) {
                if (stopping()) break;
                auditEntries += pruneAudit(t, before);
            }
        }
        long pages = giveBackPages(RESERVE_PAGES);
        lastRoundAt = clock.instant();
        return new Round(aged, forced[0], forced[1], auditEntries, pages);
    }

    // ------------------------------------------------------------------ age

    /** Removes the tenant's events received before {@code cutoff} that no hold needs; returns how many. */
    private long pruneByAge(String tenantId, Instant cutoff) {
        long held = lowestHeld(tenantId);
        if (!oldestEligible(tenantId, cutoff.toEpochMilli(), held)) return 0; // the usual case: no write at all
        long total = 0;
        while (!stopping()) {
            int n = db.write(w -> removeAged(w, tenantId, cutoff.toEpochMilli(), held));
            total += n;
            if (n < options.batch()) break;
            yieldToIngest();
        }
        return total;
    }

    private boolean oldestEligible(String tenantId, long cutoffMillis, long heldSeq) {
        // (the newest event of all stays: removeAged checks it in its transaction)
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(OLDEST_OF_TENANT)) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) < heldSeq && rs.getLong(2) < cutoffMillis;
                }
            }
        });
    }

    private long lowestHeld(String tenantId) {
        return db.read(c -> {
            long min = Long.MAX_VALUE;
            for (EventHold h : holds) min = Math.min(min, h.lowestHeldSeq(c, tenantId));
            return min;
        });
    }

    /**
     * One batch: the tenant's oldest events, as far as they are all older than the cutoff and below
     * the held seq (a prefix of its log: receive times follow seq), removed with their summaries.
     */
    private int removeAged(WriteContext w, String tenantId, long cutoffMillis, long heldSeq) throws SQLException {
        long newest = newest(w);
        PreparedStatement q = w.prepare(AGED_BATCH);
        q.setString(1, tenantId);
        q.setInt(2, options.batch());
        long first = -1;
        long last = -1;
        Map<EventCounts.Key, Long> byConnector = new HashMap<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq >= heldSeq || seq >= newest || rs.getLong(3) >= cutoffMillis) break;
                if (first < 0) first = seq;
                last = seq;
                byConnector.merge(new EventCounts.Key(rs.getString(2), rs.getString(4)), 1L, Long::sum);
            }
        }
        if (first < 0) return 0;
        int removed = deleteRange(w, tenantId, first, last);
        EventCounts.removed(w, tenantId, byConnector);
        PreparedStatement st = w.prepare("INSERT INTO retention_state (tenant_id, pruned_total, last_prune_at) VALUES (?,?,?)"
                + " ON CONFLICT (tenant_id) DO UPDATE SET pruned_total = pruned_total + excluded.pruned_total, last_prune_at = excluded.last_prune_at");
        st.setString(1, tenantId);
        st.setLong(2, removed);
        st.setLong(3, clock.millis());
        st.executeUpdate();
        return removed;
    }

    /**
     * The newest event's seq: pruning never removes it. {@code events.seq} is SQLite's rowid, which hands
     * out the highest seq in the table plus one; with the newest gone, new events would get seqs that
     * were handed out before, and every cursor (the API's, delivery's, the console's live view) would
     * skip them. So at most one event outlives its retention: the newest of all.
     */
    private static long newest(WriteContext w) throws SQLException {
        try (ResultSet rs = w.prepare(NEWEST).executeQuery()) {
            if (!rs.next()) return Long.MIN_VALUE;
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MIN_VALUE : v;
        }
    }

    private static int deleteRange(WriteContext w, String tenantId, long first, long last) throws SQLException {
        PreparedStatement del = w.prepare(DELETE_RANGE);
        del.setString(1, tenantId);
        del.setLong(2, first);
        del.setLong(3, last);
        return del.executeUpdate();
    }

    /**
     * Between two batches: the writer's queue goes first. A prune batch takes the writer for a few
     * milliseconds; with a short pause after it, and a longer one while ingest has writes waiting,
     * pruning takes the writer's idle time instead of adding to every sender's wait.
     */
    private void yieldToIngest() {
        long pauseNanos = options.pause().toNanos();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
        } while (db.queueDepth() > db.maxBatch() / 4 && System.nanoTime() < deadline && !stopping());
    }

    // ------------------------------------------------------------------ the disk floor

    /** While below the floor: the oldest events of any tenant go, holds released first. Returns {removed, held given up}. */
    private long[] forcedByDiskFloor(RetentionService.Site site) {
        long removed = 0;
        long held = 0;
        if (site.minFreeDiskPercent() <= 0) return new long[] {0, 0};
        StorageHealth.Snapshot s = health.measure();
        if (!s.belowFloor()) return new long[] {0, 0};
        double target = site.minFreeDiskPercent() + HYSTERESIS_PERCENT;
        if (belowFloorReports.occurred(1) > 0) {
            log.warn("The disk holding {} has {}% free (counting reusable database pages), below the floor of {}%: removing the oldest events,"
                    + " published or not, until it is back above. Each removal is audited as events.pruned_unpublished. Free space on that disk,"
                    + " or lower the retention (retention set).", health.dataDir(), String.format(Locale.ROOT, "%.1f", s.effectiveFreePercent()),
                    site.minFreeDiskPercent());
        }
        double free = s.effectiveFreePercent();
        while (!stopping() && free < target) {
            int n = forcedBatch(s, target);
            long[] batch = db.write(w -> removeOldest(w, n));
            if (batch[0] == 0) break; // nothing left to remove: other files fill the disk
            removed += batch[0];
            held += batch[1];
            giveBackPages(0);
            s = health.measure();
            free = s.effectiveFreePercent();
            yieldToIngest();
        }
        flushForced(site, free);
        long report = removed > 0 ? removedReports.occurred(removed) : 0;
        if (report > 0) {
            log.warn("Removed {} events to keep the disk floor since the last report (this round {}, of them {} held for Kafka or delivery);"
                    + " free space now {}%.", report, removed, held, String.format(Locale.ROOT, "%.1f", free));
        } else if (removed == 0 && free < target && emptyFloorReports.occurred(1) > 0) {
            log.warn("The disk holding {} stays below the floor of {}% with no events left to remove: other files fill it. Free space there.",
                    health.dataDir(), site.minFreeDiskPercent());
        }
        if (free >= target) {
            belowFloorReports.clear();
            emptyFloorReports.clear();
            removedReports.clear();
        }
        return new long[] {removed, held};
    }

    /**
     * How many of the oldest events to remove next: about as many as free the space still missing
     * (at the average size of a stored event), at most a batch, so a small database is not emptied
     * by one batch and a large one gets there in few.
     */
    private int forcedBatch(StorageHealth.Snapshot s, double targetPercent) {
        double missing = (targetPercent - s.effectiveFreePercent()) / 100.0 * s.totalBytes();
        long[] used = db.read(c -> {
            long events;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(events), 0) FROM event_counts"); ResultSet rs = ps.executeQuery()) {
                events = rs.next() ? rs.getLong(1) : 0;
            }
            return new long[] {events};
        });
        long liveBytes = Math.max(1, s.databaseBytes() - s.reusableBytes());
        double perEvent = (double) liveBytes / Math.max(1, used[0]);
        long n = (long) Math.ceil(missing / perEvent);
        return (int) Math.max(1, Math.min(options.batch(), n));
    }

    /** One forced batch: the {@code n} oldest events of every tenant, their holds released, counted as pending audit. */
    private long[] removeOldest(WriteContext w, int n) throws SQLException {
        PreparedStatement q = w.prepare(OLDEST_BATCH);
        q.setLong(1, -1);
        q.setLong(2, newest(w));
        q.setInt(3, n);
        Map<String, Range> byTenant = new LinkedHashMap<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Range r = byTenant.computeIfAbsent(rs.getString(2), t -> new Range());
                r.add(rs.getLong(1), rs.getLong(4), new EventCounts.Key(rs.getString(3), rs.getString(5)));
            }
        }
        long removed = 0;
        long heldTotal = 0;
        long now = clock.millis();
        for (Map.Entry<String, Range> e : byTenant.entrySet()) {
            String tenant = e.getKey();
            Range r = e.getValue();
            long held = 0;
            for (EventHold h : holds) held += h.release(w, tenant, r.lastSeq + 1);
            int count = deleteRange(w, tenant, r.firstSeq, r.lastSeq);
            EventCounts.removed(w, tenant, r.byConnector);
            PreparedStatement st = w.prepare("INSERT INTO retention_state (tenant_id, pruned_total, forced_total, forced_held_total, last_prune_at,"
                    + " last_forced_at, pending_count, pending_held, pending_first_seq, pending_last_seq, pending_first_at, pending_last_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id) DO UPDATE SET"
                    + " pruned_total = pruned_total + excluded.pruned_total, forced_total = forced_total + excluded.forced_total,"
                    + " forced_held_total = forced_held_total + excluded.forced_held_total, last_prune_at = excluded.last_prune_at,"
                    + " last_forced_at = excluded.last_forced_at, pending_count = pending_count + excluded.pending_count,"
                    + " pending_held = pending_held + excluded.pending_held,"
                    + " pending_first_seq = coalesce(pending_first_seq, excluded.pending_first_seq), pending_last_seq = excluded.pending_last_seq,"
                    + " pending_first_at = coalesce(pending_first_at, excluded.pending_first_at), pending_last_at = excluded.pending_last_at");
            st.setString(1, tenant);
            st.setLong(2, count);
            st.setLong(3, count);
            st.setLong(4, held);
            st.setLong(5, now);
            st.setLong(6, now);
            st.setLong(7, count);
            st.setLong(8, held);
            st.setLong(9, r.firstSeq);
            st.setLong(10, r.lastSeq);
            st.setLong(11, r.firstAt);
            st.setLong(12, r.lastAt);
            st.executeUpdate();
            removed += count;
            heldTotal += held;
        }
        return new long[] {removed, heldTotal};
    }

    /** The rows of one tenant in a forced batch. */
    private static final class Range {
        long firstSeq = -1;
        long lastSeq;
        long firstAt;
        long lastAt;
        final Map<EventCounts.Key, Long> byConnector = new HashMap<>();

        void add(long seq, long at, EventCounts.Key connector) {
            if (firstSeq < 0) {
                firstSeq = seq;
                firstAt = at;
            }
            lastSeq = seq;
            lastAt = at;
            byConnector.merge(connector, 1L, Long::sum);
        }
    }

    private boolean forcedPending() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM retention_state WHERE pending_count > 0 LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Turns the forced removals not yet audited into one {@code events.pruned_unpublished} entry per
     * tenant, in one transaction with clearing them (also after a crash in the middle of a round).
     */
    private void flushForced(RetentionService.Site site, Double freePercent) {
        db.write(w -> {
            List<Object[]> pending = new ArrayList<>();
            try (ResultSet rs = w.prepare("SELECT tenant_id, pending_count, pending_held, pending_first_seq, pending_last_seq, pending_first_at,"
                    + " pending_last_at FROM retention_state WHERE pending_count > 0").executeQuery()) {
                while (rs.next()) {
                    pending.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)});
                }
            }
            for (Object[] p : pending) {
                ObjectNode d = Json.object().put("count", (long) p[1]).put("held_released", (long) p[2])
                        .put("first_seq", (long) p[3]).put("last_seq", (long) p[4])
                        .put("first_received_at", Times.format(Instant.ofEpochMilli((long) p[5])))
                        .put("last_received_at", Times.format(Instant.ofEpochMilli((long) p[6])))
                        .put("reason", "disk_floor").put("min_free_disk_percent", site.minFreeDiskPercent());
                if (freePercent != null) d.put("free_percent_after", Math.round(freePercent * 10) / 10.0);
                List<String> names = new ArrayList<>();
                for (EventHold h : holds) names.add(h.name());
                d.put("holds", String.join(",", names));
                audit.append(w, (String) p[0], RetentionService.SYSTEM_ACTOR, AuditAction.EVENTS_PRUNED_UNPUBLISHED, "events", d);
            }
            w.prepare("UPDATE retention_state SET pending_count = 0, pending_held = 0, pending_first_seq = NULL, pending_last_seq = NULL,"
                    + " pending_first_at = NULL, pending_last_at = NULL WHERE pending_count > 0").executeUpdate();
            return null;
        });
    }

    // ------------------------------------------------------------------ audit

    private long pruneAudit(String tenantId, Instant before) {
        long total = 0;
        while (!stopping()) {
            int n = db.write(w -> audit.prune(w, tenantId, before, AUDIT_BATCH, RetentionService.SYSTEM_ACTOR));
            total += n;
            if (n < AUDIT_BATCH) break;
            yieldToIngest();
        }
        return total;
    }

    // ------------------------------------------------------------------ space

    /**
     * Gives freed pages beyond {@code reserve} back to the disk, in steps ({@code auto_vacuum=INCREMENTAL}
     * only; elsewhere new rows reuse them). Returns how many pages went.
     */
    private long giveBackPages(long reserve) {
        if (!incrementalVacuum()) return 0;
        long freed = 0;
        while (!stopping()) {
            long before = freelistPages();
            if (before <= reserve) break;
            int step = (int) Math.min(VACUUM_STEP_PAGES, before - reserve);
            db.write(w -> {
                // The pragma frees one page per step of its statement and yields a row each time, which
                // the driver does not hand out (no column names): each execution frees one page, and
                // closing the statement ends it before the writer's savepoint is released.
                try (PreparedStatement ps = w.connection().prepareStatement("PRAGMA incremental_vacuum(" + step + ")")) {
                    for (int i = 0; i < step; i++) ps.execute();
                }
                return null;
            });
            long after = freelistPages();
            if (after >= before) break;
            freed += before - after;
            yieldToIngest();
        }
        return freed;
    }

    private volatile Boolean incremental;

    private boolean incrementalVacuum() {
        Boolean b = incremental;
        if (b == null) {
            b = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("PRAGMA auto_vacuum"); ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 2;
                }
            });
            incremental = b;
        }
        return b;
    }

    private long freelistPages() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA freelist_count"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) { wake.notifyAll(); }
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
