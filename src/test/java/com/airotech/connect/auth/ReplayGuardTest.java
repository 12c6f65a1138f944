package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    @Test
    void aMessageIdIsRefusedInsideTheWindowAndAcceptedAfterIt() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
        ReplayGuard g = new ReplayGuard(clock);
        long ts = clock.instant().getEpochSecond();
        assertThat(g.claim("t", "c", "m1", ts)).isTrue();
        assertThat(g.claim("t", "c", "m1", ts)).isFalse();
        assertThat(g.claim("t", "other", "m1", ts)).as("ids are per connector").isTrue();
        clock.advance(Duration.ofSeconds(300));
        assertThat(g.claim("t", "c", "m1", ts)).as("still inside the window").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(g.claim("t", "c", "m1", ts)).as("a timestamp this old is refused by the window check anyway").isTrue();
    }

    @Test
    void aReleasedClaimCanBeTakenAgain() {
        ReplayGuard g = new ReplayGuard(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")));
        assertThat(g.claim("t", "c", "m", 0)).isTrue();
        g.release("t", "c", "m");
        assertThat(g.claim("t", "c", "m", 0)).isTrue();
    }
}
