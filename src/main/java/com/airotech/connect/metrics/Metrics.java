package com.airotech.connect.metrics;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.ingest.IngestObserver;
import com.airotech.connect.store.WriterStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's Prometheus metrics (Micrometer): ingest latency per method (its count is the
 * ingest rate), rejections per reason, the writer's batch size and commit time, the outbox, and
 * the JVM. No label ever carries a tenant, connector or source address.
 */
public final class Metrics implements IngestObserver, WriterStats, AutoCloseable {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> ingest = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer commitTime;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        batchSize = DistributionSummary.builder("airotech.writer.batch.size")
                .description("Writes committed together in one SQLite transaction (group commit)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
        commitTime = Timer.builder("airotech.writer.commit")
                .description("Time to run and commit one batch of writes, fsync included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        unavailable(com.airotech.connect.store.Database.DISK_FULL);
        unavailable(com.airotech.connect.store.Database.AT_CAPACITY);
    }

    @Override
    public void accepted(String tenantId, String connectorId, AuthMethod method, String eventType, long nanos) {
        ingest.computeIfAbsent(method.wire(), m -> Timer.builder("airotech.ingest.latency")
                        .description("Time from the request's headers to the durable acknowledgement of an accepted event")
                        .tag("method", m)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(String tenantId, String connectorId, AuthMethod method, String code, String sourceAddress) {
        Counter.builder("airotech.ingest.rejected")
                .description("Ingest requests refused, by error code")
                .tag("reason", code)
                .tag("method", method == null ? "unknown" : method.wire())
                .register(registry)
                .increment();
    }

    /** 503 answers of the store by reason (disk_full, at_capacity, …); the two an operator acts on are there from the start. */
    private Counter unavailable(String reason) {
        return Counter.builder("airotech.unavailable").description("Writes answered 503 unavailable, by reason: disk_full (SQLITE_FULL), "
                + "at_capacity (the writer's queue is full), shutting_down, storage_error").tag("reason", reason).register(registry);
    }

    @Override
    public void refused(String reason, int count) { unavailable(reason).increment(count); }

    @Override
    public void batchCommitted(int operations, long commitNanos) {
        batchSize.record(operations);
        commitTime.record(commitNanos, TimeUnit.NANOSECONDS);
    }

    /** A value read at scrape time (outbox depth, lag, queue depth). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** A monotonically growing total kept elsewhere (events published). */
    public <T> void counter(String name, String description, T owner, ToDoubleFunction<T> total) {
        FunctionCounter.builder(name, owner, total).description(description).register(registry);
    }

    /** The registry, for features that keep meters of their own (delivery's per-subscription meters). */
    public io.micrometer.core.instrument.MeterRegistry registry() { return registry; }

    /** The Prometheus text exposition. */
    public String scrape() { return registry.scrape(); }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
