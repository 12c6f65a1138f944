package com.airotech.connect.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one attempt came to. {@code statusCode} is null when no HTTP answer came; {@code errorClass}
 * is null on success ({@code http_status} for a non-2xx answer, else {@code timeout},
 * {@code connection_refused}, {@code address_refused} …); {@code detail} is the operator's sentence.
 * {@code gone}: the target answered 410 or no longer exists, so the subscription is disabled.
 */
record Outcome(Instant at, boolean delivered, Integer statusCode, long latencyMs, String errorClass, String detail, String excerpt,
               Duration retryAfter, boolean gone) {
    DeliveryView.Attempt attempt() {
        return new DeliveryView.Attempt(at, statusCode, latencyMs, errorClass, detail, excerpt);
    }
}
