package com.airotech.connect.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How delivery behaves, site-wide: the retry schedule (API.md §7: immediately, 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h, with jitter), the timeout per attempt, how long a target may fail before its
 * subscription is disabled, the signing secret's rotation grace, and how much one subscription may
 * hold in memory. {@link #fromSystemProperties()} lets a site (or a test) change them with
 * {@code -Dairotech.delivery.*} flags, e.g. {@code -Dairotech.delivery.schedule=0s,1s,2s}.
 */
public record DeliverySettings(List<Duration> schedule, double jitter, Duration timeout, Duration disableAfter, Duration defaultGrace,
                               int windowEvents, long windowBytes, int maxActiveLanes, Duration flushInterval) {
    public static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    /** The longest a Retry-After is followed; a longer one is read as this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    public DeliverySettings {
        schedule = List.copyOf(schedule);
        if (schedule.isEmpty()) throw new IllegalArgumentException("the retry schedule needs at least one attempt");
        for (Duration d : schedule) if (d.isNegative()) throw new IllegalArgumentException("a retry delay cannot be negative");
        if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("jitter is a fraction in [0, 1)");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the timeout must be positive");
        if (windowEvents < 1 || windowBytes < 1 || maxActiveLanes < 1) throw new IllegalArgumentException("window and lanes must be positive");
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(DEFAULT_SCHEDULE, 0.2, DEFAULT_TIMEOUT, DEFAULT_DISABLE_AFTER, DEFAULT_GRACE, 2048, 2L << 20, 16,
                Duration.ofMillis(200));
    }

    /** The defaults, with what {@code -Dairotech.delivery.*} system properties change. */
    public static DeliverySettings fromSystemProperties() {
        DeliverySettings d = defaults();
        String schedule = System.getProperty("airotech.delivery.schedule");
        return new DeliverySettings(
                schedule == null ? d.schedule : parseSchedule(schedule),
                Double.parseDouble(System.getProperty("airotech.delivery.jitter", Double.toString(d.jitter))),
                duration(System.getProperty("airotech.delivery.timeout"), d.timeout),
                duration(System.getProperty("airotech.delivery.disableAfter"), d.disableAfter),
                duration(System.getProperty("airotech.delivery.grace"), d.defaultGrace),
                Integer.getInteger("airotech.delivery.windowEvents", d.windowEvents),
                Long.getLong("airotech.delivery.windowBytes", d.windowBytes),
                Integer.getInteger("airotech.delivery.maxActiveLanes", d.maxActiveLanes),
                duration(System.getProperty("airotech.delivery.flushInterval"), d.flushInterval));
    }

    public DeliverySettings withSchedule(List<Duration> s) {
        return new DeliverySettings(s, jitter, timeout, disableAfter, defaultGrace, windowEvents, windowBytes, maxActiveLanes, flushInterval);
    }

    public DeliverySettings withJitter(double j) {
        return new DeliverySettings(schedule, j, timeout, disableAfter, defaultGrace, windowEvents, windowBytes, maxActiveLanes, flushInterval);
    }

    public DeliverySettings withTimeout(Duration t) {
        return new DeliverySettings(schedule, jitter, t, disableAfter, defaultGrace, windowEvents, windowBytes, maxActiveLanes, flushInterval);
    }

    public DeliverySettings withDisableAfter(Duration d) {
        return new DeliverySettings(schedule, jitter, timeout, d, defaultGrace, windowEvents, windowBytes, maxActiveLanes, flushInterval);
    }

    public DeliverySettings withWindow(int events, long bytes) {
        return new DeliverySettings(schedule, jitter, timeout, disableAfter, defaultGrace, events, bytes, maxActiveLanes, flushInterval);
    }

    /** How many attempts a delivery gets before it is failed (the schedule's length). */
    public int maxAttempts() { return schedule.size(); }

    /** "0s,5s,5m,30m,2h,5h,10h,10h" (s, m, h, d; ms for milliseconds). */
    public static List<Duration> parseSchedule(String text) {
        List<Duration> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) out.add(duration(part.strip(), null));
        }
        return out;
    }

    static Duration duration(String text, Duration dflt) {
        if (text == null || text.isBlank()) return dflt;
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 5m, 2h or 5d");
        }
    }
}
