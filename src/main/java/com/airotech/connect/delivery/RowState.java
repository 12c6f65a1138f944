package com.airotech.connect.delivery;

/** A delivery row as the dispatcher loads it (no attempts). {@code nextAttemptAt} null: waiting behind its lane. */
record RowState(long seq, String eventId, String connectorId, String eventType, long receivedAt, String status, int attempts,
                Long nextAttemptAt, boolean manual) {}
