package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts requests in flight; once closed, new requests get {@code 503 unavailable} with
 * Retry-After while those already accepted finish.
 */
final class ShutdownGate implements HttpHandler {
    private final HttpHandler next;
    private final AtomicLong active = new AtomicLong();
    private final Object lock = new Object();
    private volatile boolean closed;

    ShutdownGate(HttpHandler next) { this.next = next; }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (closed) {
            ex.setPersistent(false);
            Http.error(ex, ApiException.unavailable("The gateway is shutting down; nothing was stored. Retry shortly."));
            return;
        }
        active.incrementAndGet();
        ex.addExchangeCompleteListener((exchange, nextListener) -> {
            try {
                nextListener.proceed();
            } finally {
                if (active.decrementAndGet() == 0 && closed) {
                    synchronized (lock) { lock.notifyAll(); }
                }
            }
        });
        next.handleRequest(ex);
    }

    /** Stops admitting requests and waits for those in flight, up to the timeout. */
    boolean closeAndAwait(long timeout, TimeUnit unit) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }

    long inFlight() { return active.get(); }
}
