package com.airotech.connect.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait: on a condition, with a deadline, failing with what was awaited. It polls
 * every few milliseconds (parking, not spinning, so a 2-core machine keeps its CPU for the gateway).
 */
public final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {}

    public static void until(BooleanSupplier condition, Duration timeout) {
        until("condition", condition, timeout);
    }

    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        until(what, condition, timeout, () -> "");
    }

    /** As {@link #until(String, BooleanSupplier, Duration)}, the failure also telling what {@code state} says then. */
    public static void until(String what, BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " not met within " + timeout + " " + state.get());
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) throw new AssertionError("interrupted while waiting for " + what);
        }
    }
}
