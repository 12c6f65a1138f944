package com.airotech.connect.delivery;

import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.ingest.IngestObserver;
import com.airotech.connect.secret.Sealer;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs delivery in the gateway's process: one {@link SubscriptionRunner} per enabled subscription,
 * sending threads from a shared pool that grows as lanes need them (so a slow target ties up only
 * its own lanes' threads, at most {@code maxActiveLanes} per subscription).
 *
 * <p>It learns of new events from ingest ({@link #accepted}, called after each event's commit):
 * only the tenant's runners are woken, and only when they were not already; a runner that was woken
 * reads what was committed in one query, so nothing is polled in a tight loop. Administrative
 * changes reach it directly ({@link #changed}) from this process, and within a second through the
 * {@code delivery_changes} counter from another one (the command line beside a running gateway).
 */
public final class Dispatcher implements IngestObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    final SubscriptionRepository repo;
    final Clock clock;
    final DeliverySettings settings;
    final Sender sender;
    final Sealer sealer;
    final ConnectorService connectors;
    final AuditLog audit;
    final DeliveryObserver observer;
    final ThreadPoolExecutor pool;
    final Watchdog watchdog = new Watchdog();

    private final Map<String, SubscriptionRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, List<SubscriptionRunner>> byTenant = new ConcurrentHashMap<>();
    private final Thread supervisor;
    private final Set<String> reloadWanted = ConcurrentHashMap.newKeySet();
    private volatile boolean syncWanted = true;
    private volatile boolean closed;
    private boolean started; // guarded by this
    private long seenVersion = -1;

    public Dispatcher(SubscriptionService service, DeliveryObserver observer) {
        this.repo = service.repo();
        this.clock = service.clock();
        this.settings = service.settings();
        this.sender = new Sender(service.connections(), clock, settings.timeout());
        this.sealer = service.sealer();
        this.connectors = service.connectors();
        this.audit = service.audit();
        this.observer = observer == null ? DeliveryObserver.NONE : observer;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "delivery-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.supervisor = new Thread(this::supervise, "delivery-supervisor");
        this.supervisor.setDaemon(true);
        service.onChange(this::changed);
    }

    /** Starts delivering (once; a second call changes nothing). */
    public synchronized void start() {
        if (started || closed) return;
        started = true;
        supervisor.start();
    }

    /** Called by ingest after each event's commit: wakes the tenant's runners (cheap: a lookup and a flag). */
    @Override
    public void accepted(String tenantId, String connectorId, AuthMethod method, String eventType, long nanos) {
        List<SubscriptionRunner> rs = byTenant.get(tenantId);
        if (rs == null) return;
        for (SubscriptionRunner r : rs) r.eventsArrived();
    }

    /** A subscription (or null: any) was changed by an administrator in this process. */
    public void changed(String subscriptionId) {
        if (subscriptionId == null) syncWanted = true;
        else reloadWanted.add(subscriptionId);
        LockSupport.unpark(supervisor);
    }

    /** A connector changed somewhere (its webhook_url, its status): runners re-read their targets. */
    public void targetsChanged() {
        for (SubscriptionRunner r : runners.values()) r.targetsChanged();
    }

    /** The running subscriptions' ids (tests, status). */
    public Set<String> running() { return Set.copyOf(runners.keySet()); }

    private void supervise() {
        while (!closed) {
            try {
                long v = repo.changesVersion();
                if (v != seenVersion) {
                    if (seenVersion >= 0) {
                        // changed by another process: every runner looks again
                        for (SubscriptionRunner r : runners.values()) r.reloadSoon();
                    }
                    seenVersion = v;
                    syncWanted = true;
                }
                for (String id : List.copyOf(reloadWanted)) {
                    reloadWanted.remove(id);
                    SubscriptionRunner r = runners.get(id);
                    if (r != null) r.reloadSoon();
                    syncWanted = true;
                }
                if (syncWanted) {
                    syncWanted = false;
                    sync();
                }
            } catch (RuntimeException e) {
                log.warn("Delivery could not read its subscriptions ({}); retrying in a second.", e.getMessage());
            }
            LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** Starts a runner for every enabled subscription without one; a runner whose subscription went away stops by itself. */
    private synchronized void sync() {
        if (closed) return;
        Set<String> enabled = new HashSet<>();
        for (Subscription s : repo.enabled(clock.instant())) {
            enabled.add(s.subscriptionId());
            SubscriptionRunner existing = runners.get(s.subscriptionId());
            if (existing != null && existing.alive()) continue;
            SubscriptionRunner r = new SubscriptionRunner(this, s);
            runners.put(s.subscriptionId(), r);
            byTenant.computeIfAbsent(s.tenantId(), k -> new CopyOnWriteArrayList<>()).add(r);
            r.start();
        }
        for (SubscriptionRunner r : runners.values()) {
            if (!enabled.contains(r.subscriptionId)) r.stop();
        }
    }

    /** A runner ended (disabled, deleted, stopping, or failed unexpectedly: then the next sync starts it again). */
    synchronized void runnerStopped(SubscriptionRunner r) {
        runners.remove(r.subscriptionId, r);
        List<SubscriptionRunner> rs = byTenant.get(r.tenantId);
        if (rs != null) {
            rs.remove(r);
            if (rs.isEmpty()) byTenant.remove(r.tenantId, rs);
        }
        if (!closed) {
            syncWanted = true;
            LockSupport.unpark(supervisor);
        }
    }

    /** Stops every runner: attempts in flight are cut short, progress is stored; what was not confirmed is sent again after the restart. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        LockSupport.unpark(supervisor);
        List<SubscriptionRunner> all = List.copyOf(runners.values());
        for (SubscriptionRunner r : all) r.stop();
        for (SubscriptionRunner r : all) {
            try {
                r.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            supervisor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        watchdog.close();
    }
}
