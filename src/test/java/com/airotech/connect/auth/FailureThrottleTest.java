package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:30Z"));
    private final FailureThrottle throttle = new FailureThrottle(clock);
    private static final ApiException BAD_SIGNATURE = new ApiException(ApiException.Kind.UNAUTHORIZED, "signature_invalid", "no");

    @Test
    void twentyFailuresAreAnsweredAsTheyAreAndTheNextWaitsForTheNextMinute() {
        for (int i = 0; i < 20; i++) assertThat(throttle.failed("tn_a", "cn_a", "127.0.0.1", BAD_SIGNATURE)).isSameAs(BAD_SIGNATURE);
        ApiException limited = throttle.failed("tn_a", "cn_a", "127.0.0.1", BAD_SIGNATURE);
        assertThat(limited.kind()).isEqualTo(ApiException.Kind.RATE_LIMITED);
        assertThat(limited.retryAfterSeconds()).isEqualTo(30);
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.failed("tn_a", "cn_a", "127.0.0.1", BAD_SIGNATURE)).isSameAs(BAD_SIGNATURE);
    }

    @Test
    void anotherAddressAtTheSameConnectorIsCountedApart() {
        for (int i = 0; i < 25; i++) throttle.failed("tn_a", "cn_a", "127.0.0.3", BAD_SIGNATURE);
        assertThat(throttle.failed("tn_a", "cn_a", "127.0.0.2", BAD_SIGNATURE)).isSameAs(BAD_SIGNATURE);
    }

    @Test
    void oneAddressFailingAtManyConnectorsIsLimitedByItsAddress() {
        for (int i = 0; i < FailureThrottle.PER_ADDRESS; i++) {
            assertThat(throttle.failed("tn_a", "cn_" + i, "127.0.0.9", BAD_SIGNATURE).kind()).isEqualTo(ApiException.Kind.UNAUTHORIZED);
        }
        assertThat(throttle.failed("tn_a", "cn_fresh", "127.0.0.9", BAD_SIGNATURE).kind()).isEqualTo(ApiException.Kind.RATE_LIMITED);
    }

    @Test
    void rejectionsThatAreNotFailedAuthenticationsDoNotCount() {
        for (int i = 0; i < 50; i++) {
            throttle.failed("tn_a", null, "127.0.0.2", new ApiException(ApiException.Kind.INVALID, "invalid_event_type", "x"));
            throttle.failed("tn_a", null, "127.0.0.2", new ApiException(ApiException.Kind.TOO_LARGE, "payload_too_large", "x"));
            throttle.failed("tn_a", null, "127.0.0.2", new ApiException(ApiException.Kind.CONFLICT, "replayed", "x"));
        }
        assertThat(throttle.failed("tn_a", null, "127.0.0.2", BAD_SIGNATURE)).isSameAs(BAD_SIGNATURE);
    }
}
