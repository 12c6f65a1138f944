package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:30Z"));
    private final FailureThrottle throttle = new FailureThrottle(clock);

    @Test
    void twentyFailuresAreAllowedAndTheNextAttemptWaitsForTheNextMinute() {
        String key = FailureThrottle.key("tn_a", "cn_a", "127.0.0.1");
        for (int i = 0; i < 20; i++) {
            assertThatCode(() -> throttle.admit(key)).doesNotThrowAnyException();
            throttle.failed(key, "signature_invalid");
        }
        assertThatThrownBy(() -> throttle.admit(key)).isInstanceOfSatisfying(ApiException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(429);
            org.assertj.core.api.Assertions.assertThat(e.retryAfterSeconds()).isEqualTo(30);
        });
        clock.advance(Duration.ofSeconds(30));
        assertThatCode(() -> throttle.admit(key)).doesNotThrowAnyException();
    }

    @Test
    void rejectionsThatAreNotFailedAuthenticationsDoNotCount() {
        String key = FailureThrottle.key("tn_a", null, "127.0.0.2");
        for (int i = 0; i < 50; i++) {
            throttle.failed(key, "invalid_event_type");
            throttle.failed(key, "payload_too_large");
            throttle.failed(key, "rate_limited");
        }
        assertThatCode(() -> throttle.admit(key)).doesNotThrowAnyException();
    }
}
