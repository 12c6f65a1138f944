package com.airotech.connect.ingest;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.auth.FailureThrottle;
import com.airotech.connect.common.Times;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejected authentications summarised into the audit trail: one {@code auth.rejected} entry per
 * connector and clock minute, with counts per reason code and a few source addresses, written
 * once the minute is over (not one row per bad request, which would let a flood fill the trail).
 * Rejections at a path naming no active connector are not audited (the path is the sender's
 * words, not a tenant's connector); they are throttled per source address all the same.
 */
public final class RejectionAudit implements IngestObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RejectionAudit.class);
    static final AuditAction ACTION = AuditAction.AUTH_REJECTED;
    private static final int MAX_SOURCES = 5;
    /** A minute is written this long after it ended, so a request racing the boundary still lands in it. */
    private static final long SETTLE_MILLIS = 2_000;
    private static final int MAX_BUCKETS = 50_000;

    private record Key(String tenantId, String connectorId, long minute) {}

    private static final class Bucket {
        final Map<String, Long> reasons = new TreeMap<>();
        final Set<String> sources = new LinkedHashSet<>();
        long total;
    }

    private final AuditLog audit;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /** @param flushEverySeconds how often completed minutes are written (0 = only by {@link #flushCompleted()}) */
    public RejectionAudit(AuditLog audit, Clock clock, int flushEverySeconds) {
        this.audit = audit;
        this.clock = clock;
        if (flushEverySeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "auth-rejection-audit");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::flushQuietly, flushEverySeconds, flushEverySeconds, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    @Override
    public void rejected(String tenantId, String connectorId, AuthMethod method, String code, String sourceAddress) {
        record(tenantId, connectorId, code, sourceAddress);
    }

    /** Counts one rejection of an authentication for a known connector (ingest or token endpoint). */
    public void record(String tenantId, String connectorId, String code, String sourceAddress) {
        if (tenantId == null || connectorId == null) return;
        if (!FailureThrottle.AUTH_FAILURES.contains(code) && !"rate_limited".equals(code)) return;
        if (buckets.size() >= MAX_BUCKETS) return;
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        buckets.compute(new Key(tenantId, connectorId, minute), (k, b) -> {
            if (b == null) b = new Bucket();
            b.total++;
            b.reasons.merge(code, 1L, Long::sum);
            if (sourceAddress != null && b.sources.size() < MAX_SOURCES) b.sources.add(sourceAddress);
            return b;
        });
    }

    /** Writes every minute that is over; returns how many entries were written. */
    public int flushCompleted() {
        return flush(Math.floorDiv(clock.millis() - SETTLE_MILLIS, 60_000L));
    }

    private int flush(long beforeMinute) {
        List<Key> due = new ArrayList<>();
        for (Key k : buckets.keySet()) if (k.minute() < beforeMinute) due.add(k);
        due.sort((a, b) -> Long.compare(a.minute(), b.minute()));
        int written = 0;
        for (Key k : due) {
            Bucket b = buckets.remove(k);
            if (b == null) continue;
            ObjectNode detail = Json.object().put("minute", Times.format(Instant.ofEpochMilli(k.minute() * 60_000L))).put("count", b.total);
            ObjectNode reasons = detail.putObject("reasons");
            b.reasons.forEach(reasons::put);
            var sources = detail.putArray("sources");
            b.sources.forEach(sources::add);
            audit.append(k.tenantId(), k.connectorId(), ACTION, k.connectorId(), detail);
            written++;
        }
        return written;
    }

    private void flushQuietly() {
        try {
            flushCompleted();
        } catch (RuntimeException e) {
            log.warn("could not write the summary of rejected authentications (will retry): {}", e.getMessage());
        }
    }

    /** Writes everything counted so far, the running minute included (at shutdown). */
    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
        try {
            flush(Long.MAX_VALUE);
        } catch (RuntimeException e) {
            log.warn("could not write the last summary of rejected authentications: {}", e.getMessage());
        }
    }
}
