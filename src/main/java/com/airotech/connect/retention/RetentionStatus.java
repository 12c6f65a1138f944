package com.airotech.connect.retention;

import java.time.Instant;

/**
 * A tenant's retention as status views show it: the setting, the oldest event still stored, and
 * what pruning has done ({@code forcedPruned}: removed early by the disk floor, of which
 * {@code forcedHeldReleased} were still held for Kafka or delivery). {@code lastRoundAt} is when this
 * gateway's pruner last finished a round (null: not running here, or no round yet).
 */
public record RetentionStatus(int maxAgeDays, boolean explicit, Instant oldestEventAt, Instant lastPruneAt, long eventsPruned,
                              long forcedPruned, long forcedHeldReleased, Instant lastForcedAt, Instant agePruningFrom,
                              Integer auditMaxAgeDays, int minFreeDiskPercent, Instant lastRoundAt) {

    public static RetentionStatus of(RetentionService.Policy p, RetentionService.Totals t, Instant oldest, Instant lastRoundAt) {
        return new RetentionStatus(p.maxAgeDays(), p.explicit(), oldest, t.lastPruneAt(), t.pruned(), t.forced(), t.forcedHeld(),
                t.lastForcedAt(), p.site().agePruningFrom(), p.site().auditMaxAgeDays(), p.site().minFreeDiskPercent(), lastRoundAt);
    }
}
