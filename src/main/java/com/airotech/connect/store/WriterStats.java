package com.airotech.connect.store;

/** Told about every committed batch, for metrics. */
@FunctionalInterface
public interface WriterStats {
    void batchCommitted(int operations, long commitNanos);

    WriterStats NONE = (ops, nanos) -> { };
}
