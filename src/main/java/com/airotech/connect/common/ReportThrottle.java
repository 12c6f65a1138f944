package com.airotech.connect.common;

import java.time.Duration;

/**
 * For a trouble that recurs with every request while it lasts (a full disk, a failing store): the
 * first occurrence is reported at once, later ones at most once per interval, each report with
 * how many occurrences it covers. A line per occurrence would bury the log, or fill the disk it
 * shares. Thread-safe.
 */
public final class ReportThrottle {
    private final long intervalNanos;
    private long reportedAt; // 0: nothing reported since the last clear()
    private long pending;

    public ReportThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Counts {@code n} occurrences. Returns how many to report now (the first occurrence, or all
     * since the last report once the interval has passed), or 0 when it is not time to report.
     */
    public synchronized long occurred(long n) {
        pending += n;
        long now = System.nanoTime();
        if (reportedAt != 0 && now - reportedAt < intervalNanos) return 0;
        reportedAt = now;
        long report = pending;
        pending = 0;
        return report;
    }

    /** The trouble is over: returns the occurrences not yet reported, and the next one reports at once. */
    public synchronized long clear() {
        long left = pending;
        pending = 0;
        reportedAt = 0;
        return left;
    }
}
