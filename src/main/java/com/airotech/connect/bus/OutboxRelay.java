package com.airotech.connect.bus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to Kafka, oldest first, on its own thread: ingest never waits for it.
 *
 * <p>Each round reads a batch, creates missing topics, sends every record (the idempotent producer
 * with at most 5 requests in flight keeps the order of one key's records on its partition), waits
 * for the broker's acknowledgements ({@code acks=all}) and only then deletes the acknowledged rows.
 * The next batch is sent only after that, so one connector's events reach Kafka in the order they
 * were stored. A failure discards the producer (a new one starts with fresh sequence numbers) and
 * retries with exponential backoff. A crash between acknowledgement and deletion re-sends those
 * rows after the restart: delivery is at least once, and consumers de-duplicate on the
 * {@code event_id} header.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration ACK_WAIT = Duration.ofSeconds(25);

    private final Outbox outbox;
    private final KafkaSettings settings;
    private final Clock clock;
    private final int batchSize;
    private final Thread thread;
    private final Object wake = new Object();
    private final Set<String> knownTopics = new HashSet<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;
    private volatile KafkaState state = KafkaState.CONNECTING;
    private volatile String lastError;
    private volatile Instant lastPublishedAt;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile Admin admin;

    public OutboxRelay(Outbox outbox, KafkaSettings settings, Clock clock) {
        this(outbox, settings, clock, 500);
    }

    public OutboxRelay(Outbox outbox, KafkaSettings settings, Clock clock, int batchSize) {
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, "outbox-relay");
        this.thread.setDaemon(true);
    }

    public void start() { thread.start(); }

    public KafkaState state() { return state; }

    /** A short description of the last failure (no credentials: client messages name hosts and topics). */
    public String lastError() { return lastError; }

    public long publishedTotal() { return published.get(); }

    public long failuresTotal() { return failures.get(); }

    public Instant lastPublishedAt() { return lastPublishedAt; }

    private void run() {
        try {
            relay();
        } catch (Throwable t) {
            // never die silently while status still says "connected": say so where operators look
            lastError = "the relay stopped (" + t.getClass().getSimpleName() + "); restart the gateway";
            state = KafkaState.UNREACHABLE;
            log.error("The Kafka outbox relay stopped; events stay in the outbox until the gateway restarts.", t);
            if (t instanceof VirtualMachineError vme) throw vme;
        }
    }

    /** True while the relay's thread runs. */
    public boolean running() { return thread.isAlive(); }

    private void relay() {
        Duration backoff = MIN_BACKOFF;
        while (!closed) {
            try {
                List<OutboxRecord> batch = outbox.next(batchSize);
                if (batch.isEmpty()) {
                    pause(IDLE_POLL);
                    continue;
                }
                publish(batch);
                backoff = MIN_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                if (closed) break;
                failures.incrementAndGet();
                String why = describe(e);
                if (state != KafkaState.UNREACHABLE || !why.equals(lastError)) {
                    log.warn("Kafka publish failed ({}); events stay in the outbox and are retried. Check that {} is reachable.", why, settings.bootstrap());
                }
                lastError = why;
                state = KafkaState.UNREACHABLE;
                discardClients();
                try {
                    pause(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        discardClients();
    }

    private void publish(List<OutboxRecord> batch) throws InterruptedException, ExecutionException, TimeoutException {
        ensureTopics(batch);
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (OutboxRecord r : batch) {
            Future<RecordMetadata> f = p.send(EventMessage.of(r));
            sent.add(f);
            // a send that waited max.block.ms for metadata and failed means the broker is gone: sending
            // the rest would wait as long again for each record (minutes for a batch) before anyone hears
            if (f.isDone() && failed(f)) break;
        }
        // our own deadline: a producer whose broker vanished does not always give up by itself
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        List<Long> acked = new ArrayList<>(batch.size());
        Exception firstFailure = null;
        for (int i = 0; i < sent.size(); i++) {
            Future<RecordMetadata> f = sent.get(i);
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acked.add(batch.get(i).seq());
            } catch (ExecutionException | TimeoutException e) {
                if (firstFailure == null) firstFailure = e;
            }
        }
        // what the broker acknowledged is published, whatever happened to its neighbours
        outbox.markPublished(acked);
        published.addAndGet(acked.size());
        if (!acked.isEmpty()) lastPublishedAt = clock.instant();
        if (firstFailure instanceof ExecutionException ee) throw ee;
        if (firstFailure instanceof TimeoutException te) throw new TimeoutException("no acknowledgement from Kafka within " + ACK_WAIT.toSeconds() + " s");
        if (state != KafkaState.CONNECTED) {
            if (state == KafkaState.UNREACHABLE) log.info("Kafka reachable again; draining the outbox");
            state = KafkaState.CONNECTED;
            lastError = null;
        }
    }

    private static boolean failed(Future<?> done) {
        try {
            done.get();
            return false;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void ensureTopics(List<OutboxRecord> batch) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> missing = new HashSet<>();
        for (OutboxRecord r : batch) if (!knownTopics.contains(r.topic())) missing.add(r.topic());
        if (missing.isEmpty()) return;
        Admin a = admin();
        Set<String> existing = a.listTopics().names().get(30, TimeUnit.SECONDS);
        knownTopics.addAll(existing);
        missing.removeAll(existing);
        if (missing.isEmpty()) return;
        List<NewTopic> create = new ArrayList<>();
        for (String t : missing) create.add(new NewTopic(t, settings.partitions(), settings.replicationFactor()));
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : a.createTopics(create).values().entrySet()) {
            try {
                e.getValue().get(30, TimeUnit.SECONDS);
                log.info("created Kafka topic {}", e.getKey());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
            }
            knownTopics.add(e.getKey());
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = settings.clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
            p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "airotech-connect-relay");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> p = settings.clientProperties();
            p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
            p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "airotech-connect-admin");
            // producer-only keys would make the admin client warn; keep what both understand
            p.keySet().retainAll(AdminClientConfig.configNames());
            admin = Admin.create(p);
        }
        return admin;
    }

    private void discardClients() {
        if (producer != null) {
            try { producer.close(Duration.ZERO); } catch (RuntimeException ignored) { /* discarding anyway */ }
            producer = null;
        }
        if (admin != null) {
            try { admin.close(Duration.ZERO); } catch (RuntimeException ignored) { /* discarding anyway */ }
            admin = null;
        }
    }

    private void pause(Duration d) throws InterruptedException {
        synchronized (wake) {
            if (!closed) wake.wait(Math.max(1, d.toMillis()));
        }
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m));
    }

    /** Stops after the round in flight; what is not yet acknowledged stays in the outbox for the next start. */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) { wake.notifyAll(); }
        KafkaProducer<byte[], byte[]> p = producer;
        // a producer waiting on an unreachable broker would hold the shutdown for its delivery timeout
        if (p != null) {
            try { p.close(Duration.ZERO); } catch (RuntimeException ignored) { /* stopping anyway */ }
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) thread.interrupt();
    }
}
