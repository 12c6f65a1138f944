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

    @Test
    void idsExpireATableAtATimeAndTheGuardEmpties() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
        ReplayGuard g = new ReplayGuard(clock);
        for (int second = 0; second < 60; second++) {
            long ts = clock.instant().getEpochSecond();
            for (int i = 0; i < 500; i++) assertThat(g.claim("t", "c", "m" + second + "-" + i, ts)).isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(g.size()).isEqualTo(30_000);
        // every id above is refused while its window lasts, whichever second it came in
        for (int second = 0; second < 60; second += 7) assertThat(g.claim("t", "c", "m" + second + "-3", 0)).isFalse();
        clock.advance(Duration.ofSeconds(300 + 16));
        for (int k = 0; k < 64; k++) assertThat(g.claim("t", "c", "after" + k, clock.instant().getEpochSecond())).isTrue();
        assertThat(g.size()).as("only the ids claimed after the window are held").isEqualTo(64);
        assertThat(g.claim("t", "c", "m59-0", clock.instant().getEpochSecond())).as("an expired id may come again").isTrue();
    }

    @Test
    void aFutureTimestampKeepsTheIdUntilItsOwnWindowEnds() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
        ReplayGuard g = new ReplayGuard(clock);
        long future = clock.instant().getEpochSecond() + 200;
        assertThat(g.claim("t", "c", "f", future)).isTrue();
        clock.advance(Duration.ofSeconds(499));
        assertThat(g.claim("t", "c", "f", future)).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(g.claim("t", "c", "f", future)).isTrue();
    }

    @Test
    void rememberedIdsAreRefusedAndKeepTheLaterExpiry() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
        ReplayGuard g = new ReplayGuard(clock);
        long now = clock.instant().getEpochSecond();
        g.remember("t", "c", "r", now + 100);
        g.remember("t", "c", "r", now + 50);
        clock.advance(Duration.ofSeconds(80));
        assertThat(g.claim("t", "c", "r", now)).isFalse();
        clock.advance(Duration.ofSeconds(21));
        assertThat(g.claim("t", "c", "r", now)).isTrue();
    }

    @Test
    void concurrentCopiesOfOneMessagePassOnce() throws Exception {
        ReplayGuard g = new ReplayGuard(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")));
        int ids = 20_000;
        java.util.concurrent.atomic.AtomicIntegerArray wins = new java.util.concurrent.atomic.AtomicIntegerArray(ids);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < ids; i++) if (g.claim("t", "c", "id" + i, 1_795_000_000L)) wins.incrementAndGet(i);
            }));
        }
        for (java.util.concurrent.Future<?> f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();
        for (int i = 0; i < ids; i++) assertThat(wins.get(i)).as("id%d", i).isEqualTo(1);
        assertThat(g.size()).isEqualTo(ids);
    }
}
