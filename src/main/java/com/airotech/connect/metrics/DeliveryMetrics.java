package com.airotech.connect.metrics;

import com.airotech.connect.delivery.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Delivery's meters, per subscription (the label is the subscription id: no tenant, target or
 * address): deliveries, attempts, failed attempts, dead letters, attempt time, and, while the
 * subscription runs, its lag (age of the oldest event still to deliver) and backlog.
 */
public final class DeliveryMetrics implements DeliveryObserver {
    private record Meters(Counter delivered, Counter attempts, Counter failures, Counter deadLetters, Timer time) {}

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

    public DeliveryMetrics(Metrics metrics) { this.registry = metrics.registry(); }

    private Meters of(String subscriptionId) {
        return meters.computeIfAbsent(subscriptionId, id -> new Meters(
                Counter.builder("airotech.delivery.deliveries").description("Deliveries that succeeded (any 2xx)").tag("subscription", id).register(registry),
                Counter.builder("airotech.delivery.attempts").description("Delivery attempts, successful or not").tag("subscription", id).register(registry),
                Counter.builder("airotech.delivery.failures").description("Delivery attempts that failed (non-2xx, timeout, refused)")
                        .tag("subscription", id).register(registry),
                Counter.builder("airotech.delivery.dead.letters").description("Deliveries failed after their last attempt").tag("subscription", id).register(registry),
                Timer.builder("airotech.delivery.attempt").description("Time of one delivery attempt, until the target's answer")
                        .tag("subscription", id).register(registry)));
    }

    @Override
    public void attempted(String subscriptionId, boolean delivered, Integer statusCode, long latencyMs) {
        Meters m = of(subscriptionId);
        m.attempts().increment();
        if (delivered) m.delivered().increment(); else m.failures().increment();
        m.time().record(latencyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLettered(String subscriptionId) { of(subscriptionId).deadLetters().increment(); }

    @Override
    public void running(String subscriptionId, Gauges g) {
        of(subscriptionId);
        stopped(subscriptionId);
        gauges.put(subscriptionId, List.of(
                Gauge.builder("airotech.delivery.lag.seconds", g, Gauges::lagSeconds).strongReference(true)
                        .description("Age of the oldest event this subscription has still to deliver").tag("subscription", subscriptionId).register(registry),
                Gauge.builder("airotech.delivery.backlog", g, x -> x.backlog()).strongReference(true)
                        .description("Events this subscription has still to deliver").tag("subscription", subscriptionId).register(registry)));
    }

    @Override
    public void stopped(String subscriptionId) {
        List<Meter> old = gauges.remove(subscriptionId);
        if (old != null) for (Meter m : old) registry.remove(m);
    }
}
