package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.SQLException;

/**
 * Told about every newly stored event inside the writer's transaction, right after the event row
 * with this {@code seq} was inserted. What it writes commits or rolls back together with the
 * event: the transactional outbox hangs here.
 */
@FunctionalInterface
public interface EventSink {
    void stored(WriteContext w, long seq, String tenantId, long receivedAtMillis) throws SQLException;

    EventSink NONE = (w, seq, tenantId, receivedAtMillis) -> { };
}
