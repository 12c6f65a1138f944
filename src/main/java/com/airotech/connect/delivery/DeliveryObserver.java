package com.airotech.connect.delivery;

/** Told about delivery as it happens: the metrics. Subscription ids only, never a tenant or a target. */
public interface DeliveryObserver {
    /** One attempt ended; {@code statusCode} is null without an HTTP answer. */
    default void attempted(String subscriptionId, boolean delivered, Integer statusCode, long latencyMs) { }

    /** A delivery gave up after its last attempt (a dead letter). */
    default void deadLettered(String subscriptionId) { }

    /** A subscription's dispatcher started; {@code gauges} may be read from any thread until {@link #stopped}. */
    default void running(String subscriptionId, Gauges gauges) { }

    default void stopped(String subscriptionId) { }

    /** What a running subscription can tell at any time, cheaply. */
    interface Gauges {
        /** Age in seconds of the oldest event this subscription has still to deliver (0 when none). */
        double lagSeconds();

        /** Events still to deliver: held in memory, waiting in rows, and (estimated) not yet read. */
        long backlog();
    }

    DeliveryObserver NONE = new DeliveryObserver() { };
}
