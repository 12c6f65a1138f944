package com.airotech.connect.ui.common;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.ingest.IngestObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the gateway does, as the live screens see it. The ingest threads only append to a bounded
 * queue (never touching the UI); {@link #drain()}, run a few times a second on the FX thread,
 * folds whatever arrived into counters, so thousands of events a second cost the UI one update
 * per tick rather than one per event.
 */
public final class LiveFeed implements IngestObserver {
    static final int CAPACITY = 200_000;
    static final int HISTORY_SECONDS = 120;
    static final int RECENT_REJECTIONS = 200;

    record Accepted(String tenantId, String connectorId, String eventType, String credentialId, long atMillis) {}

    record Rejected(String tenantId, String connectorId, String code, String source, long atMillis) {}

    /** What one drain folded in: the tenants that received events, and the rejections. */
    public record Batch(Set<String> tenantsWithEvents, List<Rejected> rejected, int accepted) {}

    /** How often one reason was given to a tenant's senders. */
    public static final class RejectionCount {
        final String code;
        long count;
        Instant last;
        String lastConnector;
        String lastSource;

        RejectionCount(String code) { this.code = code; }

        public String code() { return code; }
        public long count() { return count; }
        public Instant last() { return last; }
        public String lastConnector() { return lastConnector; }
        public String lastSource() { return lastSource; }
    }

    /** A rotation's grace being watched: requests proved by any credential but the current one. */
    static final class GraceWatch {
        final String currentCredentialId;
        long previousCredentialUses;

        GraceWatch(String currentCredentialId) { this.currentCredentialId = currentCredentialId; }
    }

    private final Clock clock;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final List<Consumer<Batch>> listeners = new CopyOnWriteArrayList<>();

    // FX-thread state
    private final LinkedHashMap<Long, long[]> perSecond = new LinkedHashMap<>();
    private final Map<String, Instant> lastEvent = new HashMap<>();
    private final Map<String, Map<String, RejectionCount>> rejections = new HashMap<>();
    private final Deque<Rejected> recentRejections = new ArrayDeque<>();
    private final Map<String, GraceWatch> graces = new HashMap<>();
    private long acceptedTotal;
    private long rejectedTotal;

    public LiveFeed(Clock clock) { this.clock = clock; }

    // ------------------------------------------------------------------ ingest threads

    @Override
    public void accepted(String tenantId, String connectorId, AuthMethod method, String eventType, String credentialId, long nanos) {
        offer(new Accepted(tenantId, connectorId, eventType, credentialId, clock.millis()));
    }

    @Override
    public void rejected(String tenantId, String connectorId, AuthMethod method, String code, String sourceAddress) {
        offer(new Rejected(tenantId, connectorId, code, sourceAddress, clock.millis()));
    }

    private void offer(Object item) {
        if (queued.incrementAndGet() > CAPACITY) {
            // the UI fell far behind: counting what was skipped keeps the gateway's threads free
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(item);
    }

    // ------------------------------------------------------------------ FX thread

    public void onBatch(Consumer<Batch> listener) { listeners.add(listener); }

    /** Folds in what arrived since the last call; tells listeners if anything did. */
    public Batch drain() {
        Set<String> tenants = new HashSet<>();
        List<Rejected> rejected = new ArrayList<>();
        int accepted = 0;
        Object item;
        while ((item = queue.poll()) != null) {
            queued.decrementAndGet();
            if (item instanceof Accepted a) {
                accepted++;
                acceptedTotal++;
                bucket(a.atMillis())[0]++;
                tenants.add(a.tenantId());
                lastEvent.put(key(a.tenantId(), a.connectorId()), Instant.ofEpochMilli(a.atMillis()));
                GraceWatch g = graces.get(key(a.tenantId(), a.connectorId()));
                if (g != null && a.credentialId() != null && !a.credentialId().equals(g.currentCredentialId)) g.previousCredentialUses++;
            } else if (item instanceof Rejected r) {
                rejectedTotal++;
                bucket(r.atMillis())[1]++;
                rejected.add(r);
                RejectionCount c = rejections.computeIfAbsent(r.tenantId(), t -> new LinkedHashMap<>()).computeIfAbsent(r.code(), RejectionCount::new);
                c.count++;
                c.last = Instant.ofEpochMilli(r.atMillis());
                c.lastConnector = r.connectorId();
                c.lastSource = r.source();
                recentRejections.addFirst(r);
                if (recentRejections.size() > RECENT_REJECTIONS) recentRejections.removeLast();
            }
        }
        Batch b = new Batch(tenants, rejected, accepted);
        if (accepted > 0 || !rejected.isEmpty()) for (Consumer<Batch> l : listeners) l.accept(b);
        return b;
    }

    private long[] bucket(long atMillis) {
        long second = atMillis / 1000;
        long[] b = perSecond.computeIfAbsent(second, s -> new long[2]);
        long oldest = second - HISTORY_SECONDS;
        perSecond.keySet().removeIf(s -> s < oldest);
        return b;
    }

    /** Accepted and rejected requests in each of the last {@code seconds} whole seconds, oldest first. */
    public List<long[]> perSecond(int seconds) {
        long now = clock.millis() / 1000;
        List<long[]> out = new ArrayList<>(seconds);
        for (long s = now - seconds; s < now; s++) {
            long[] b = perSecond.get(s);
            out.add(b == null ? new long[2] : b.clone());
        }
        return out;
    }

    public long acceptedTotal() { return acceptedTotal; }

    public long rejectedTotal() { return rejectedTotal; }

    public long dropped() { return dropped.sum(); }

    /** When a connector's last event arrived while the console was watching (null: not since). */
    public Instant lastEvent(String tenantId, String connectorId) { return lastEvent.get(key(tenantId, connectorId)); }

    public Collection<RejectionCount> rejections(String tenantId) {
        Map<String, RejectionCount> m = rejections.get(tenantId);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** Starts counting requests proved by a credential other than {@code currentCredentialId}. */
    public void watchGrace(String tenantId, String connectorId, String currentCredentialId) {
        GraceWatch g = graces.get(key(tenantId, connectorId));
        if (g == null || !g.currentCredentialId.equals(currentCredentialId)) {
            graces.put(key(tenantId, connectorId), new GraceWatch(currentCredentialId));
        }
    }

    public boolean watchingGrace(String tenantId, String connectorId) { return graces.containsKey(key(tenantId, connectorId)); }

    public void endGrace(String tenantId, String connectorId) { graces.remove(key(tenantId, connectorId)); }

    /** Requests that still used the previous credential since the rotation (-1 when not watched). */
    public long previousCredentialUses(String tenantId, String connectorId) {
        GraceWatch g = graces.get(key(tenantId, connectorId));
        return g == null ? -1 : g.previousCredentialUses;
    }

    private static String key(String tenantId, String connectorId) { return tenantId + "/" + connectorId; }
}
