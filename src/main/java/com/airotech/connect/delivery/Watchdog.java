package com.airotech.connect.delivery;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hard deadline per attempt. The HTTP client's timeout covers the wait for the answer's headers;
 * a target that sends headers and then stalls in the body would hold the sending thread for ever.
 * Past the deadline the thread is interrupted, which ends the blocked read.
 */
final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "delivery-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** An armed deadline; {@link #disarm()} before the thread goes on to anything else. */
    final class Armed {
        private final Thread thread;
        private boolean done; // guarded by this
        private ScheduledFuture<?> future;

        Armed(Thread thread) { this.thread = thread; }

        private synchronized void fire() {
            if (!done) thread.interrupt();
        }

        /** After this returns, the thread is no longer interrupted by this deadline (a late interrupt is cleared). */
        void disarm() {
            synchronized (this) { done = true; }
            future.cancel(false);
            Thread.interrupted();
        }
    }

    Armed arm(Duration deadline) {
        Armed a = new Armed(Thread.currentThread());
        a.future = timer.schedule(a::fire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        return a;
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
