package com.airotech.connect.delivery;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hard deadline per attempt. The HTTP client's timeout covers the wait for the answer's headers;
 * a target that sends headers and then stalls in the body would hold the sending thread for ever
 * (JDK 17's client does not even give up a blocked body read when interrupted). Past the deadline
 * the lane is given up by that thread: the attempt counts as timed out, another thread takes the
 * lane on, and the stuck one is interrupted and left to end on its own.
 */
final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timer;

    Watchdog() {
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread x = new Thread(r, "delivery-watchdog");
            x.setDaemon(true);
            return x;
        });
        // one deadline per attempt, nearly all disarmed within milliseconds: they leave the queue at once
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /** An armed deadline; {@link #disarm()} when the attempt returns. */
    static final class Armed {
        private final ScheduledFuture<?> future;

        private Armed(ScheduledFuture<?> future) { this.future = future; }

        void disarm() { future.cancel(false); }
    }

    /** Runs {@code expired} on the watchdog's thread if the deadline passes before {@link Armed#disarm()}. */
    Armed arm(Duration deadline, Runnable expired) {
        return new Armed(timer.schedule(expired, deadline.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
