package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per connector (or per source address when the path names no
 * active connector) in fixed clock minutes. Once {@link #LIMIT} have failed in the current minute,
 * further requests for that key are {@code 429 rate_limited} until the minute ends, before any
 * verification work is spent on them.
 */
public final class FailureThrottle {
    public static final int LIMIT = 20;
    private static final int MAX_KEYS = 100_000;
    /** Codes that are failed authentications (not 400s, not the 429 itself). */
    public static final Set<String> AUTH_FAILURES = Set.of("unauthorized", "auth_method_mismatch", "signature_invalid",
            "timestamp_out_of_range", "credential_expired", "invalid_client", "replayed");

    private final Clock clock;
    private final int limit;
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    public FailureThrottle(Clock clock) { this(clock, LIMIT); }

    public FailureThrottle(Clock clock, int limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /** The throttling key: the connector when known and active, else the sender's address. */
    public static String key(String tenantId, String knownConnectorId, String sourceAddress) {
        return knownConnectorId != null ? "cn:" + tenantId + "/" + knownConnectorId : "ip:" + sourceAddress;
    }

    /** Throws {@code 429 rate_limited} with {@code Retry-After} when the key has used up its failures this minute. */
    public void admit(String key) {
        long now = clock.millis();
        long minute = Math.floorDiv(now, 60_000L);
        long[] w = windows.get(key);
        if (w == null) return;
        synchronized (w) {
            if (w[0] != minute || w[1] < limit) return;
        }
        int retryAfter = (int) Math.max(1, (60_000L - Math.floorMod(now, 60_000L) + 999) / 1000);
        throw new ApiException(429, "rate_limited", "More than " + limit + " failed authentications in this minute; retry after "
                + retryAfter + " s with a valid credential.", retryAfter);
    }

    /** Records a rejection; only failed authentications count. */
    public void failed(String key, String code) {
        if (!AUTH_FAILURES.contains(code)) return;
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        if (windows.size() >= MAX_KEYS) windows.entrySet().removeIf(e -> e.getValue()[0] != minute);
        if (windows.size() >= MAX_KEYS) return; // a flood of distinct keys in one minute: stop tracking new ones
        long[] w = windows.computeIfAbsent(key, k -> new long[] {minute, 0});
        synchronized (w) {
            if (w[0] != minute) {
                w[0] = minute;
                w[1] = 0;
            }
            w[1]++;
        }
    }
}
