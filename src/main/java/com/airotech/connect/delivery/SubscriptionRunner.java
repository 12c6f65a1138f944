package com.airotech.connect.delivery;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.ReportThrottle;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.store.SqlFunction;
import com.airotech.connect.store.WriteContext;
import com.airotech.connect.tenant.Principal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscription, on its own thread, so one subscription's target never slows another's.
 *
 * <p>It reads the tenant's events past its cursor in seq order (woken after each ingest commit,
 * and at least once a second), puts each matching one into the lane of its source connector, and
 * lets sending threads work the lanes: one attempt in flight per lane, lowest seq first. A delivery
 * that succeeds at once costs one packed log entry; one that fails becomes a row that holds its lane
 * until its retry succeeds or its last attempt fails. The cursor, the rows and the log are written
 * together by this thread, a few times a second: the cursor moves only past events that were
 * delivered or have a row, so after {@code kill -9} everything past it is sent again, with the same
 * {@code webhook-id} (derived from the subscription and the seq), and nothing is skipped.
 *
 * <p>Memory is bounded per subscription (a window of events and bytes read ahead). When a lane is
 * held by a failing delivery and the window fills with its events while other deliveries still
 * succeed, those events are set aside as rows; when nothing has succeeded since (a target that is
 * down), reading stops at the window and the bodies held are let go, to be read again when the
 * target answers. A target that is down costs a row per lane, not one per event.
 */
final class SubscriptionRunner implements Runnable, DeliveryObserver.Gauges {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionRunner.class);
    private static final int READ_BATCH = 256;
    private static final int BODY_BATCH = 32;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long READ_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RESOLVE_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final String EVENT_PRUNED = "event_pruned";

    private record Result(Lane lane, Item item, Outcome outcome) {}

    private record Key(Secret secret, Long validUntil) {}

    private record Read(long hi, List<EventRecord> events, long globalMax) {}

    final String tenantId;
    final String subscriptionId;
    private final Dispatcher d;
    private final Thread thread;
    private volatile Subscription sub;
    private volatile Sender.Resolved target;
    private volatile List<Key> keys = List.of();

    // ------------------------------------------------ the runner thread's own state
    private long cursor;
    private volatile long readPos;
    private boolean caughtUp;
    private final TreeMap<Long, Item> unsettled = new TreeMap<>();
    private long unsettledBytes;
    private final TreeMap<Long, Item> rows = new TreeMap<>();
    private final Set<Long> settledAhead = new HashSet<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicInteger activeLanes = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    /** When a delivery last succeeded (System.nanoTime), to tell a target that is down from one stuck lane. */
    private long lastSuccessNanos;
    private long lastReadNanos;
    private long lastResolveNanos;
    private long lastFlushNanos = System.nanoTime();
    private long flushRetryAt;
    private long unreadEstimate;
    private long unreadCountedAt;
    private boolean reconcileWanted;

    // ------------------------------------------------ what the next flush writes
    private final List<SqlFunction<WriteContext, Void>> writes = new ArrayList<>();
    private final List<DeliveryLog.Item> logItems = new ArrayList<>();
    private long deliveredSinceFlush;
    private Long lastSuccessAt;
    private Long lastFailureAt;
    private Long failingSince;
    private String lastError;
    private boolean stateDirty;
    private String disableReason;
    private final ReportThrottle flushFailures = new ReportThrottle(Duration.ofMinutes(1));

    // ------------------------------------------------ signals
    private final AtomicBoolean newEvents = new AtomicBoolean(true);
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicBoolean targetChanged = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile double lag;
    private volatile long backlog;

    SubscriptionRunner(Dispatcher d, Subscription s) {
        this.d = d;
        this.tenantId = s.tenantId();
        this.subscriptionId = s.subscriptionId();
        this.sub = s;
        this.thread = new Thread(this, "delivery-" + s.subscriptionId());
        this.thread.setDaemon(true);
    }

    void start() { thread.start(); }

    /** New events were committed for this tenant. */
    void eventsArrived() {
        if (!newEvents.getAndSet(true)) LockSupport.unpark(thread);
    }

    /** An administrator changed the subscription, its secrets or its deliveries. */
    void reloadSoon() {
        changed.set(true);
        LockSupport.unpark(thread);
    }

    /** A connector changed (its webhook_url, its status). */
    void targetsChanged() {
        targetChanged.set(true);
        LockSupport.unpark(thread);
    }

    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
    }

    void join(long millis) throws InterruptedException { thread.join(millis); }

    boolean alive() { return thread.isAlive(); }

    @Override public double lagSeconds() { return lag; }

    @Override public long backlog() { return backlog; }

    // ================================================================== the loop

    @Override
    public void run() {
        try {
            if (!load()) return;
            d.observer.running(subscriptionId, this);
            while (!stopping) {
                if (changed.getAndSet(false) && !reload()) break;
                if (targetChanged.getAndSet(false) || System.nanoTime() - lastResolveNanos > RESOLVE_NANOS) resolveTarget();
                processResults();
                if (disableReason != null) break;
                flushIfDue();
                if (reconcileWanted && writes.isEmpty()) reconcile();
                boolean signalled = newEvents.getAndSet(false);
                if (signalled || !caughtUp || System.nanoTime() - lastReadNanos > READ_POLL_NANOS) read();
                holdWindow();
                schedule();
                gauges();
                park();
            }
        } catch (RuntimeException | Error e) {
            log.error("Delivery of subscription {} (tenant {}) stopped unexpectedly; it restarts within a second.", subscriptionId, tenantId, e);
        } finally {
            shutdown();
        }
    }

    private void park() {
        if (stopping || !results.isEmpty() || newEvents.get() || changed.get() || targetChanged.get()) return;
        long now = d.clock.millis();
        long due = Long.MAX_VALUE;
        for (Lane l : lanes.values()) {
            synchronized (l) {
                if (!l.running) due = Math.min(due, l.dueAt());
            }
        }
        long nanos = POLL_NANOS;
        if (due != Long.MAX_VALUE) nanos = Math.min(nanos, Math.max(0, TimeUnit.MILLISECONDS.toNanos(due - now)));
        if (!writes.isEmpty() || !logItems.isEmpty() || stateDirty) {
            nanos = Math.min(nanos, Math.max(0, d.settings.flushInterval().toNanos() - (System.nanoTime() - lastFlushNanos)));
        }
        if (nanos > 0) LockSupport.parkNanos(this, nanos);
    }

    // ================================================================== starting, reloading

    private boolean load() {
        Instant now = d.clock.instant();
        Optional<Subscription> s = d.repo.find(tenantId, subscriptionId, now);
        if (s.isEmpty() || !s.get().enabled()) return false;
        sub = s.get();
        cursor = sub.cursorSeq();
        readPos = cursor;
        failingSince = sub.failingSince() == null ? null : sub.failingSince().toEpochMilli();
        lastError = sub.lastError();
        loadKeys();
        resolveTarget();
        for (RowState r : d.repo.rowsToLoad(subscriptionId, cursor)) {
            if (SubscriptionRepository.PENDING.equals(r.status())) addRow(Item.of(r));
            else settledAhead.add(r.seq());
        }
        for (Item it : rows.values()) {
            if (it.attempts > 0) it.blockedSince = System.nanoTime();
        }
        log.info("delivering subscription {} of tenant {} from seq {} ({} deliveries waiting)", subscriptionId, tenantId, cursor, rows.size());
        return true;
    }

    private boolean reload() {
        Optional<Subscription> s = d.repo.find(tenantId, subscriptionId, d.clock.instant());
        if (s.isEmpty() || !s.get().enabled()) return false;
        Subscription next = s.get();
        if (next.cursorSeq() > cursor) {
            // retention's forced release moved the cursor past events it removed
            cursor = next.cursorSeq();
            if (readPos < cursor) readPos = cursor;
        }
        sub = next;
        loadKeys();
        resolveTarget();
        reconcileWanted = true;
        return true;
    }

    private void loadKeys() {
        if (!(sub.target() instanceof Target.ToConnector)) {
            keys = List.of();
            return;
        }
        List<Key> next = new ArrayList<>();
        for (SubscriptionRepository.SealedSecret s : d.repo.validSecrets(tenantId, subscriptionId, d.clock.millis())) {
            next.add(new Key(SigningSecrets.open(d.sealer, tenantId, subscriptionId, s.secretId(), s.sealed()), s.validUntil()));
        }
        List<Key> old = keys;
        keys = List.copyOf(next);
        for (Key k : old) k.secret().destroy();
    }

    /** The secrets that sign now: the current one, and the previous one during its grace. */
    private List<Secret> signingKeys(long now) {
        List<Secret> out = new ArrayList<>(2);
        for (Key k : keys) if (k.validUntil() == null || k.validUntil() > now) out.add(k.secret());
        return out;
    }

    private void resolveTarget() {
        lastResolveNanos = System.nanoTime();
        Target t = sub.target();
        if (t instanceof Target.ToConnection c) {
            target = new Sender.Path(c.connectionId(), c.path(), c.method());
            return;
        }
        String connectorId = ((Target.ToConnector) t).connectorId();
        Connector c;
        try {
            c = d.connectors.get(new Principal(tenantId, Sender.ACTOR), connectorId);
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.NOT_FOUND) disableReason = "The target connector " + connectorId + " no longer exists.";
            return; // the database is busy: keep the target known
        }
        if (!c.active()) {
            disableReason = "The target connector " + connectorId + " (" + c.systemName() + ") was revoked.";
        } else if (c.webhookUrl() == null) {
            disableReason = "The target connector " + connectorId + " (" + c.systemName() + ") no longer has a webhook_url.";
        } else {
            target = new Sender.Url(URI.create(c.webhookUrl()));
        }
    }

    /**
     * After an administrator's change (retry, recover, a forced release): the pending rows in the
     * database are the truth; items not in flight follow them.
     */
    private void reconcile() {
        reconcileWanted = false;
        Map<Long, RowState> pending = new HashMap<>();
        for (RowState r : d.repo.rowsToLoad(subscriptionId, cursor)) {
            if (SubscriptionRepository.PENDING.equals(r.status())) pending.put(r.seq(), r);
            else if (r.seq() > readPos) settledAhead.add(r.seq());
        }
        for (Item it : new ArrayList<>(rows.values())) {
            Lane lane = lane(it.connectorId);
            synchronized (lane) {
                if (it.inFlight || it.awaitingRunner) continue;
                RowState r = pending.get(it.seq);
                if (r == null) {
                    lane.items.remove(it.seq);
                    rows.remove(it.seq);
                } else {
                    it.attempts = r.attempts();
                    it.nextAttemptAt = r.nextAttemptAt();
                    it.manual = r.manual();
                }
            }
        }
        for (RowState r : pending.values()) {
            if (rows.containsKey(r.seq())) continue;
            Item memory = unsettled.get(r.seq());
            if (memory != null) continue; // read already and on its way: it settles as it is
            addRow(Item.of(r));
        }
    }

    private void addRow(Item it) {
        rows.put(it.seq, it);
        Lane lane = lane(it.connectorId);
        synchronized (lane) {
            lane.items.put(it.seq, it);
        }
    }

    private Lane lane(String connectorId) {
        return lanes.computeIfAbsent(connectorId, Lane::new);
    }

    // ================================================================== reading

    private void read() {
        lastReadNanos = System.nanoTime();
        while (!stopping) {
            int room = d.settings.windowEvents() - unsettled.size();
            if (!roomToRead()) {
                caughtUp = false;
                return;
            }
            int limit = Math.min(room, READ_BATCH);
            Subscription s = sub;
            long from = readPos;
            Read r = d.repo.db().read(c -> {
                long hi = d.repo.maxSeq(c, tenantId);
                if (hi <= from) {
                    long global = hi < from ? globalMax(c) : hi;
                    return new Read(hi, List.of(), global);
                }
                return new Read(hi, d.repo.events(c, tenantId, from, hi, s.eventTypes(), s.sourceConnectors(), limit), hi);
            });
            if (r.globalMax() < from) {
                seqWentBack(r.globalMax());
                return;
            }
            for (EventRecord e : r.events()) add(e, s);
            if (r.events().size() < limit) {
                if (r.hi() > readPos) readPos = r.hi();
                caughtUp = true;
                return;
            }
            readPos = r.events().get(r.events().size() - 1).seq();
            caughtUp = false;
        }
    }

    private static long globalMax(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM events"); java.sql.ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void add(EventRecord e, Subscription s) {
        if (settledAhead.remove(e.seq())) return; // a row settled it before the last restart
        if (rows.containsKey(e.seq())) return;
        if (unsettled.containsKey(e.seq())) return;
        if (!s.matches(e.eventType(), e.connectorId())) return;
        Item it = Item.of(e);
        it.counted = e.body().length;
        unsettled.put(it.seq, it);
        unsettledBytes += it.counted;
        Lane lane = lane(it.connectorId);
        synchronized (lane) {
            lane.items.put(it.seq, it);
        }
    }

    /**
     * Every event of the database is now below where this subscription read up to: the newest events
     * were removed and SQLite will hand their seqs out again. Start over at the newest seq, so the
     * events that get those seqs are read; what waited for the removed events is failed.
     */
    private void seqWentBack(long globalMax) {
        log.error("Subscription {}: the event log's newest seq ({}) is below what it had read ({}): the newest events were removed and their "
                + "seqs will be reused. Delivery restarts at seq {}; deliveries of removed events are failed.", subscriptionId, globalMax, readPos, globalMax);
        long now = d.clock.millis();
        for (Item it : new ArrayList<>(unsettled.tailMap(globalMax, false).values())) forgetMemory(it);
        for (Item it : new ArrayList<>(rows.tailMap(globalMax, false).values())) {
            Lane lane = lane(it.connectorId);
            synchronized (lane) {
                if (it.inFlight || it.awaitingRunner) continue;
                lane.items.remove(it.seq);
            }
            rows.remove(it.seq);
            RowState rs = it.state(SubscriptionRepository.FAILED, it.attempts, null, it.manual);
            writes.add(w -> {
                d.repo.putRow(w, tenantId, subscriptionId, rs, "The event was removed before it could be delivered.", now);
                return null;
            });
        }
        settledAhead.clear();
        readPos = globalMax;
        cursor = globalMax;
        writes.add(w -> {
            d.repo.rewind(w, subscriptionId, globalMax);
            return null;
        });
    }

    private void forgetMemory(Item it) {
        Lane lane = lane(it.connectorId);
        synchronized (lane) {
            if (it.inFlight || it.awaitingRunner) return;
            lane.items.remove(it.seq);
        }
        unsettled.remove(it.seq);
        unsettledBytes -= it.counted;
    }

    /** A nearly full window waits for room for a useful batch (a quarter of it, up to 64) rather than reading a few events at a time. */
    private boolean roomToRead() {
        int room = d.settings.windowEvents() - unsettled.size();
        int useful = Math.max(1, Math.min(READ_BATCH / 4, d.settings.windowEvents() / 4));
        return room >= useful && unsettledBytes < d.settings.windowBytes();
    }

    /**
     * Keeps the window useful when it is too full to read. A lane held by a retry whose events fill
     * it: if another delivery succeeded since that lane's head first failed, the target is up and
     * only that lane is stuck, so its events are set aside as rows and the cursor moves on for the
     * others; otherwise (a target that is down) nothing more is read and the bodies held are let go,
     * to be read again when the target answers. Either way memory stays within the window.
     */
    private void holdWindow() {
        if (roomToRead()) return;
        long now = d.clock.millis();
        List<Item> aside = new ArrayList<>();
        for (Lane l : lanes.values()) {
            synchronized (l) {
                if (!l.blocked(now)) continue;
                Item head = l.items.firstEntry().getValue();
                boolean othersFlow = lastSuccessNanos != 0 && head.blockedSince != 0 && lastSuccessNanos - head.blockedSince > 0;
                for (Item it : l.items.values()) {
                    if (it.row || it.inFlight) continue;
                    if (othersFlow) {
                        aside.add(it);
                    } else if (it.counted > 0 || it.body != null || it.payload != null) {
                        it.body = null;
                        it.payload = null;
                        unsettledBytes -= it.counted;
                        it.counted = 0;
                    }
                }
            }
        }
        if (aside.isEmpty()) return;
        for (Item it : aside) {
            Lane lane = lane(it.connectorId);
            RowState rs;
            synchronized (lane) {
                it.row = true;
                it.nextAttemptAt = null;
                it.body = null;
                it.payload = null;
                rs = it.state(SubscriptionRepository.PENDING, 0, null, false);
            }
            unsettled.remove(it.seq);
            unsettledBytes -= it.counted;
            it.counted = 0;
            rows.put(it.seq, it);
            writes.add(w -> {
                d.repo.putRow(w, tenantId, subscriptionId, rs, null, now);
                return null;
            });
        }
        log.info("subscription {}: {} deliveries set aside behind a delivery waiting for its retry, so other source connectors keep flowing",
                subscriptionId, aside.size());
    }

    // ================================================================== sending

    private void schedule() {
        if (stopping || disableReason != null || target == null || flushRetryAt > System.nanoTime()) return;
        long now = d.clock.millis();
        long pos = readPos;
        for (Lane l : lanes.values()) {
            if (activeLanes.get() >= d.settings.maxActiveLanes()) return;
            synchronized (l) {
                if (l.running || l.eligible(pos, now) == null) continue;
                l.running = true;
            }
            activeLanes.incrementAndGet();
            try {
                d.pool.execute(() -> work(l));
            } catch (RuntimeException e) {
                synchronized (l) { l.running = false; }
                activeLanes.decrementAndGet();
                return;
            }
        }
    }

    /** A sending thread: attempts the lane's heads one after the other until one fails or none is due. */
    private void work(Lane lane) {
        // this thread works the lane until it finishes, or until the watchdog gives a stuck attempt up
        AtomicBoolean owner = new AtomicBoolean(true);
        Thread self = Thread.currentThread();
        try {
            synchronized (lane) { lane.thread = self; }
            while (!stopping) {
                Item it;
                synchronized (lane) {
                    it = lane.eligible(readPos, d.clock.millis());
                    if (it == null) break;
                    it.inFlight = true;
                }
                AtomicBoolean unreported = new AtomicBoolean(true);
                Duration limit = d.sender.timeout().plusSeconds(2);
                Instant startedAt = d.clock.instant();
                Watchdog.Armed deadline = d.watchdog.arm(limit, () -> {
                    if (!unreported.compareAndSet(true, false)) return;
                    owner.set(false);
                    Outcome late = Sender.failure(startedAt, limit.toMillis(), "timeout", "The target did not finish its answer within "
                            + limit.toSeconds() + " s; the attempt was abandoned.");
                    synchronized (lane) {
                        it.inFlight = false;
                        it.awaitingRunner = true;
                        lane.running = false;
                        if (lane.thread == self) lane.thread = null;
                    }
                    activeLanes.decrementAndGet();
                    results.add(new Result(lane, it, late));
                    LockSupport.unpark(thread);
                    self.interrupt();
                });
                Outcome o;
                try {
                    o = deliver(lane, it);
                } finally {
                    deadline.disarm();
                }
                if (!unreported.compareAndSet(true, false)) return; // given up by the watchdog: the lane is someone else's now
                Thread.interrupted();
                synchronized (lane) {
                    it.inFlight = false;
                    if (o.delivered()) lane.items.remove(it.seq);
                    else it.awaitingRunner = true;
                }
                results.add(new Result(lane, it, o));
                // a failure needs the runner now (when to retry); successes only free window room, a batch of them at a time
                if (!o.delivered() || delivered.incrementAndGet() % 32 == 0) LockSupport.unpark(thread);
                if (!o.delivered()) break;
            }
        } finally {
            if (owner.get()) {
                synchronized (lane) {
                    lane.running = false;
                    if (lane.thread == self) lane.thread = null;
                }
                activeLanes.decrementAndGet();
                LockSupport.unpark(thread);
            }
        }
    }

    private Outcome deliver(Lane lane, Item it) {
        byte[] payload;
        synchronized (lane) {
            payload = it.payload;
        }
        if (payload == null) {
            byte[] body;
            synchronized (lane) { body = it.body; }
            if (body == null) body = loadBodies(lane, it);
            if (body == null) {
                return Sender.failure(d.clock.instant(), 0, EVENT_PRUNED, "The event was removed by retention before it could be delivered.");
            }
            payload = Payloads.build(tenantId, it.connectorId, it.eventId, it.eventType, it.occurredAt, it.receivedAt, body);
            synchronized (lane) {
                it.payload = payload;
                it.body = null;
            }
        }
        return d.sender.attempt(tenantId, target, signingKeys(d.clock.millis()), DeliveryIds.of(subscriptionId, it.seq), payload);
    }

    /** Reads the bodies of the lane's next few items that hold none (rows, or events let go); the head's body, or null if it is gone. */
    private byte[] loadBodies(Lane lane, Item head) {
        List<Item> want = new ArrayList<>();
        synchronized (lane) {
            for (Item x : lane.items.values()) {
                if (x.body == null && x.payload == null) want.add(x);
                if (want.size() >= BODY_BATCH) break;
            }
        }
        if (!want.contains(head)) want.add(head);
        List<Long> seqs = new ArrayList<>();
        for (Item x : want) seqs.add(x.seq);
        Map<Long, EventRecord> found = d.repo.db().read(c -> d.repo.eventsBySeq(c, tenantId, seqs));
        synchronized (lane) {
            for (Item x : want) {
                EventRecord e = found.get(x.seq);
                if (e != null && x.payload == null) {
                    x.body = e.body();
                    x.occurredAt = e.occurredAt();
                }
            }
            return head.payload != null ? null : head.body;
        }
    }

    // ================================================================== outcomes

    private void processResults() {
        Result r;
        while ((r = results.poll()) != null) {
            if (stopping && !r.outcome().delivered()) {
                // an attempt cut short by the gateway stopping: not the target's failure; it is sent again after the restart
                synchronized (r.lane()) { r.item().awaitingRunner = false; }
                continue;
            }
            handle(r.lane(), r.item(), r.outcome());
        }
    }

    private void handle(Lane lane, Item it, Outcome o) {
        long now = o.at().toEpochMilli();
        d.observer.attempted(subscriptionId, o.delivered(), o.statusCode(), o.latencyMs());
        stateDirty = true;
        if (o.delivered()) {
            lastSuccessNanos = System.nanoTime();
            lastSuccessAt = now;
            failingSince = null;
            deliveredSinceFlush++;
            if (it.row) {
                rows.remove(it.seq);
                int n = it.attempts + 1;
                RowState rs = it.state(SubscriptionRepository.DELIVERED, n, null, it.manual);
                DeliveryView.Attempt a = o.attempt();
                writes.add(w -> {
                    d.repo.putRow(w, tenantId, subscriptionId, rs, null, now);
                    d.repo.insertAttempt(w, subscriptionId, rs.seq(), n, a);
                    return null;
                });
            } else {
                unsettled.remove(it.seq);
                unsettledBytes -= it.counted;
                it.counted = 0;
                logItems.add(new DeliveryLog.Item(it.seq, now, o.latencyMs(), o.statusCode() == null ? 0 : o.statusCode()));
            }
            synchronized (lane) {
                it.payload = null;
            }
            return;
        }
        lastFailureAt = now;
        if (failingSince == null) failingSince = now;
        lastError = o.detail();
        int n = it.attempts + 1;
        String status;
        Long next = null;
        boolean permanent = EVENT_PRUNED.equals(o.errorClass());
        if (o.gone()) {
            // the target is gone: this delivery waits, untried, for the subscription to be enabled again
            status = SubscriptionRepository.PENDING;
            next = now;
            disableReason = o.statusCode() != null && o.statusCode() == 410
                    ? "The target answered 410 Gone to delivery " + DeliveryIds.of(subscriptionId, it.seq) + "."
                    : "The target no longer exists (" + o.detail() + ")";
        } else if (permanent || it.manual || n >= d.settings.maxAttempts()) {
            status = SubscriptionRepository.FAILED;
        } else {
            status = SubscriptionRepository.PENDING;
            next = now + delay(n, o.retryAfter()).toMillis();
        }
        RowState rs = it.state(status, n, next, it.manual);
        DeliveryView.Attempt a = o.attempt();
        String detail = o.detail();
        writes.add(w -> {
            d.repo.putRow(w, tenantId, subscriptionId, rs, detail, now);
            d.repo.insertAttempt(w, subscriptionId, rs.seq(), n, a);
            return null;
        });
        if (!it.row) {
            unsettled.remove(it.seq);
            unsettledBytes -= it.counted;
            it.counted = 0;
        }
        synchronized (lane) {
            if (it.blockedSince == 0) it.blockedSince = System.nanoTime();
            it.row = true;
            it.attempts = n;
            it.nextAttemptAt = next;
            it.awaitingRunner = false;
            it.body = null;
            it.payload = null;
            if (SubscriptionRepository.FAILED.equals(status)) lane.items.remove(it.seq);
        }
        if (SubscriptionRepository.FAILED.equals(status)) {
            rows.remove(it.seq);
            d.observer.deadLettered(subscriptionId);
        } else {
            rows.put(it.seq, it);
        }
        if (disableReason == null && now - failingSince >= d.settings.disableAfter().toMillis()) {
            disableReason = "The target has failed continuously since " + Times.format(Instant.ofEpochMilli(failingSince)) + " (more than "
                    + d.settings.disableAfter().toHours() + " h).";
        }
    }

    private Duration delay(int attempts, Duration retryAfter) { return jittered(d.settings, attempts, retryAfter); }

    /**
     * The wait before attempt {@code attempts + 1}: what Retry-After asked for, else the schedule's,
     * moved by up to ± jitter so that the retries of many deliveries do not all arrive at once.
     */
    static Duration jittered(DeliverySettings settings, int attempts, Duration retryAfter) {
        if (retryAfter != null) return retryAfter;
        Duration base = settings.schedule().get(Math.min(attempts, settings.schedule().size() - 1));
        if (base.isZero() || settings.jitter() == 0) return base;
        double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * settings.jitter();
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * f)));
    }

    // ================================================================== writing

    private void flushIfDue() {
        if (System.nanoTime() < flushRetryAt) return;
        boolean due = System.nanoTime() - lastFlushNanos >= d.settings.flushInterval().toNanos();
        if (!writes.isEmpty() || (due && (stateDirty || !logItems.isEmpty() || cursorCandidate() > cursor))) flush();
    }

    private long cursorCandidate() {
        return unsettled.isEmpty() ? readPos : unsettled.firstKey() - 1;
    }

    /** Writes rows, attempts, the packed log and the cursor in one transaction; false when storage refused (kept for the next try). */
    private boolean flush() {
        long newCursor = Math.max(cursor, cursorCandidate());
        List<SqlFunction<WriteContext, Void>> ws = List.copyOf(writes);
        DeliveryLog.Chunk chunk = logItems.isEmpty() ? null : DeliveryLog.pack(logItems);
        long delivered = deliveredSinceFlush;
        Long success = lastSuccessAt, failure = lastFailureAt, failing = failingSince;
        String error = lastError;
        String disable = disableReason;
        long now = d.clock.millis();
        try {
            d.repo.db().write(w -> {
                // deleted meanwhile: what it was doing goes with it, no orphan rows
                if (!d.repo.exists(w, subscriptionId)) return null;
                for (SqlFunction<WriteContext, Void> x : ws) x.apply(w);
                if (chunk != null) d.repo.insertLog(w, subscriptionId, chunk);
                d.repo.progress(w, subscriptionId, newCursor, delivered, success, failure, failing, error);
                if (disable != null && d.repo.disable(w, tenantId, subscriptionId, disable, now)) {
                    d.audit.append(w, tenantId, Sender.ACTOR, AuditAction.SUBSCRIPTION_DISABLED, subscriptionId, Json.object().put("reason", disable));
                }
                return null;
            });
        } catch (RuntimeException e) {
            flushRetryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long n = flushFailures.occurred(1);
            if (n > 0) log.warn("Subscription {}: delivery progress could not be stored ({}); sending pauses and it is retried every second.",
                    subscriptionId, e.getMessage());
            return false;
        }
        flushFailures.clear();
        writes.clear();
        logItems.clear();
        deliveredSinceFlush = 0;
        lastSuccessAt = null;
        lastFailureAt = null;
        stateDirty = false;
        cursor = newCursor;
        lastFlushNanos = System.nanoTime();
        return true;
    }

    private void gauges() {
        long now = d.clock.millis();
        long oldest = Long.MAX_VALUE;
        if (!unsettled.isEmpty()) oldest = unsettled.firstEntry().getValue().receivedAt;
        if (!rows.isEmpty()) oldest = Math.min(oldest, rows.firstEntry().getValue().receivedAt);
        lag = oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest) / 1000.0;
        if (caughtUp) {
            unreadEstimate = 0;
        } else if (System.nanoTime() - unreadCountedAt > TimeUnit.SECONDS.toNanos(5)) {
            unreadCountedAt = System.nanoTime();
            Subscription s = sub;
            long from = readPos;
            try {
                unreadEstimate = d.repo.db().read(c -> d.repo.backlog(c, tenantId, from, s.eventTypes(), s.sourceConnectors(), SubscriptionStats.BACKLOG_CAP).count());
            } catch (RuntimeException e) {
                // an estimate only; the next one comes in five seconds
            }
        }
        backlog = unsettled.size() + rows.size() + unreadEstimate;
    }

    // ================================================================== stopping

    private void shutdown() {
        stopping = true;
        try {
            for (Lane l : lanes.values()) {
                synchronized (l) {
                    if (l.thread != null) l.thread.interrupt();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (activeLanes.get() > 0 && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            processResults();
            if (!writes.isEmpty() || !logItems.isEmpty() || stateDirty || cursorCandidate() > cursor || disableReason != null) flush();
            if (disableReason != null) log.warn("Subscription {} of tenant {} was disabled: {}", subscriptionId, tenantId, disableReason);
        } catch (RuntimeException e) {
            log.warn("Subscription {}: delivery progress at stop could not be stored ({}); what was sent since is sent again.", subscriptionId, e.getMessage());
        } finally {
            for (Key k : keys) k.secret().destroy();
            d.observer.stopped(subscriptionId);
            d.runnerStopped(this);
        }
    }
}
