package com.airotech.connect.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that tests move by hand; starts at the real time, truncated to milliseconds. */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) { this.now = new AtomicReference<>(start); }

    public static ManualClock startingNow() { return new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)); }

    public void set(Instant t) { now.set(t); }

    public void advance(Duration d) { now.updateAndGet(t -> t.plus(d)); }

    @Override public Instant instant() { return now.get(); }
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
}
