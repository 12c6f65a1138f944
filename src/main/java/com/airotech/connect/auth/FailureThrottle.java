package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down senders that keep failing to authenticate, without ever refusing one that succeeds.
 * Verification always runs first (every check is cheap); only a request that failed is counted, in
 * fixed clock minutes, under two keys: its source address together with the connector of the path
 * (every path naming no active connector shares one), and its source address alone. Once either key
 * has used up its failures this minute, further failures from it are answered {@code 429 rate_limited}
 * with {@code Retry-After} instead of the 401. So a stranger who knows a connector id slows only
 * itself: the connector's own sender, on its own address, is never refused for someone else's failures.
 *
 * <p>One instance per surface: the token endpoint and ingest count apart, so failures at one
 * never make the other refuse.
 */
public final class FailureThrottle {
    /** Failures a minute for one source address at one connector. */
    public static final int PER_CONNECTOR_AND_ADDRESS = 20;
    /** Failures a minute for one source address at all connectors (a NAT may carry several site gateways). */
    public static final int PER_ADDRESS = 100;
    private static final int MAX_KEYS = 100_000;
    /**
     * Codes that are failed authentications (not 400s, not the 429 itself). {@code replayed} is not one:
     * it carries a valid signature, and is what a sender's retry after a lost answer looks like.
     */
    public static final Set<String> AUTH_FAILURES = Set.of("unauthorized", "auth_method_mismatch", "signature_invalid",
            "timestamp_out_of_range", "credential_expired", "invalid_client");

    private final Clock clock;
    private final int perConnectorAndAddress;
    private final int perAddress;
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    public FailureThrottle(Clock clock) { this(clock, PER_CONNECTOR_AND_ADDRESS, PER_ADDRESS); }

    public FailureThrottle(Clock clock, int perConnectorAndAddress, int perAddress) {
        this.clock = clock;
        this.perConnectorAndAddress = perConnectorAndAddress;
        this.perAddress = perAddress;
    }

    /** A throttle that never limits (for services built without one). */
    public static FailureThrottle unlimited(Clock clock) { return new FailureThrottle(clock, Integer.MAX_VALUE, Integer.MAX_VALUE); }

    /**
     * Counts a rejection (only failed authentications count) and returns what to answer: the
     * rejection itself, or {@code 429 rate_limited} once the sender has used up its failures this minute.
     *
     * @param connectorId the active connector the request was for, or null when the path or client id names none
     */
    public ApiException failed(String tenantId, String connectorId, String sourceAddress, ApiException rejection) {
        if (!AUTH_FAILURES.contains(rejection.code())) return rejection;
        long now = clock.millis();
        long minute = Math.floorDiv(now, 60_000L);
        String address = sourceAddress == null ? "unknown" : sourceAddress;
        long atConnector = count((connectorId == null ? "none" : tenantId + "/" + connectorId) + "@" + address, minute);
        long fromAddress = count("@" + address, minute);
        if (atConnector <= perConnectorAndAddress && fromAddress <= perAddress) return rejection;
        int retryAfter = (int) Math.max(1, (60_000L - Math.floorMod(now, 60_000L) + 999) / 1000);
        return new ApiException(ApiException.Kind.RATE_LIMITED, "rate_limited", "Too many failed authentications from this address in this minute; retry after "
                + retryAfter + " s with a valid credential.", retryAfter);
    }

    private long count(String key, long minute) {
        if (windows.size() >= MAX_KEYS) windows.entrySet().removeIf(e -> e.getValue()[0] != minute);
        long[] w = windows.get(key);
        if (w == null) {
            // a flood of distinct addresses in one minute: stop tracking new ones rather than grow without bound
            if (windows.size() >= MAX_KEYS) return 0;
            w = windows.computeIfAbsent(key, k -> new long[] {minute, 0});
        }
        synchronized (w) {
            if (w[0] != minute) {
                w[0] = minute;
                w[1] = 0;
            }
            return ++w[1];
        }
    }
}
