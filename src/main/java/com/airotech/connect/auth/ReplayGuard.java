package com.airotech.connect.auth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers signed message ids per connector for as long as a message with that timestamp could
 * still be accepted. A claim is taken before the event is stored and released if it is not, so
 * two concurrent copies of one message cannot both pass, and a rejected message leaves no trace.
 */
public final class ReplayGuard {
    private static final long WINDOW_SECONDS = StandardWebhooks.TOLERANCE.getSeconds();

    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile long nextSweep;

    public ReplayGuard(Clock clock) { this.clock = clock; }

    private static String key(String tenantId, String connectorId, String messageId) {
        return tenantId + "/" + connectorId + "/" + messageId;
    }

    /** Claims a message id; false when it was seen inside the window. */
    public boolean claim(String tenantId, String connectorId, String messageId, long messageTimestamp) {
        long now = clock.instant().getEpochSecond();
        sweep(now);
        long expires = Math.max(now, messageTimestamp) + WINDOW_SECONDS;
        String k = key(tenantId, connectorId, messageId);
        Long prior = seen.putIfAbsent(k, expires);
        if (prior == null) return true;
        if (prior < now) return seen.replace(k, prior, expires);
        return false;
    }

    public void release(String tenantId, String connectorId, String messageId) {
        seen.remove(key(tenantId, connectorId, messageId));
    }

    /** Restores a message accepted before a restart. */
    public void remember(String tenantId, String connectorId, String messageId, long expiresEpochSecond) {
        seen.merge(key(tenantId, connectorId, messageId), expiresEpochSecond, Math::max);
    }

    public int size() { return seen.size(); }

    private void sweep(long now) {
        if (now < nextSweep) return;
        nextSweep = now + 10;
        seen.values().removeIf(exp -> exp < now);
    }
}
