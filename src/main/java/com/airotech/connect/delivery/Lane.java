package com.airotech.connect.delivery;

import java.util.TreeMap;

/**
 * The deliveries of one subscription that must go out in order: those of one source connector. At
 * most one attempt of a lane is in flight; the lowest seq goes first; a head waiting for its retry
 * holds the lane (that is what in order means), never another lane. Guarded by its own monitor.
 */
final class Lane {
    final String key;
    final TreeMap<Long, Item> items = new TreeMap<>();
    /** A sending thread works this lane. */
    boolean running;
    /** That thread, so stopping can interrupt an attempt in flight. */
    Thread thread;

    Lane(String key) { this.key = key; }

    /** The head if it may be attempted now. Rows past {@code readPos} wait: an earlier event of this lane may not be read yet. */
    Item eligible(long readPos, long now) {
        if (items.isEmpty()) return null;
        Item h = items.firstEntry().getValue();
        if (h.inFlight || h.awaitingRunner) return null;
        if (h.row && h.seq > readPos) return null;
        if (h.nextAttemptAt != null && h.nextAttemptAt > now) return null;
        return h;
    }

    /** The head waits for a retry that is not yet due (or is being scheduled): nothing of this lane can go now. */
    boolean blocked(long now) {
        if (items.isEmpty()) return false;
        Item h = items.firstEntry().getValue();
        return h.awaitingRunner || (h.row && h.nextAttemptAt != null && h.nextAttemptAt > now);
    }

    /** When the head's retry is due, or {@link Long#MAX_VALUE}. */
    long dueAt() {
        if (items.isEmpty()) return Long.MAX_VALUE;
        Item h = items.firstEntry().getValue();
        return h.nextAttemptAt == null ? Long.MAX_VALUE : h.nextAttemptAt;
    }
}
