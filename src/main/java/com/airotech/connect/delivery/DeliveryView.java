package com.airotech.connect.delivery;

import java.time.Instant;
import java.util.List;

/**
 * One delivery as the tenant reads it: the event it carries, its status ({@code pending},
 * {@code delivered}, {@code failed}) and its attempts. {@code eventId} and {@code connectorId} may be
 * null for a first-attempt success whose event retention has since removed.
 */
public record DeliveryView(String deliveryId, String subscriptionId, long eventSeq, String eventId, String connectorId, String eventType,
                           Instant receivedAt, String status, Instant nextAttemptAt, String lastError, List<Attempt> attempts) {
    public DeliveryView {
        attempts = List.copyOf(attempts);
    }

    /**
     * One attempt: when, what came back (null status without an HTTP answer), how long, the error
     * class ({@code http_status}, {@code timeout}, {@code connection_refused} …; null on success), a
     * sentence for the operator, and the first 1 KiB of the answer with credentials removed.
     */
    public record Attempt(Instant at, Integer statusCode, long latencyMs, String error, String detail, String responseExcerpt) {}
}
