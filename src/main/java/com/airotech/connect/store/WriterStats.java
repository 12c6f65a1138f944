package com.airotech.connect.store;

/** Told about every committed batch, and every write refused with 503, for metrics. */
@FunctionalInterface
public interface WriterStats {
    void batchCommitted(int operations, long commitNanos);

    /**
     * {@code count} writes were refused (unavailable) for {@code reason}: one of
     * {@link Database#DISK_FULL}, {@link Database#AT_CAPACITY}, {@link Database#SHUTTING_DOWN},
     * {@link Database#STORAGE_ERROR}.
     */
    default void refused(String reason, int count) { }

    WriterStats NONE = (ops, nanos) -> { };
}
