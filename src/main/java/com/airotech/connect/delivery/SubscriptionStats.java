package com.airotech.connect.delivery;

import java.time.Duration;

/**
 * How far behind a subscription is: events still to deliver (those not yet attempted, capped at
 * {@link #BACKLOG_CAP} when counted, plus deliveries waiting for a retry), dead letters, and the age
 * of the oldest event not yet delivered ({@code lag}, zero when nothing waits).
 */
public record SubscriptionStats(long backlog, boolean backlogCapped, long pending, long failed, Duration lag) {
    public static final long BACKLOG_CAP = 1_000_000;
}
