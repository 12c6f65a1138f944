package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Something that still needs stored events after they were acknowledged: the Kafka outbox (not yet
 * published) and delivery (not yet delivered to an enabled subscription). Retention never removes an
 * event of a tenant at or above the lowest sequence number any hold still needs, except when the
 * disk floor forces it to; then it first asks each hold to give up what lies below the cut, in the
 * same transaction as the delete, and audits how many held events went.
 */
public interface EventHold {
    /** A short name for operators and the audit: "kafka", "delivery". */
    String name();

    /**
     * The lowest {@code events.seq} of the tenant this hold still needs, or {@link Long#MAX_VALUE}
     * when it needs none. Called by the pruner on a read connection, never on the ingest path.
     */
    long lowestHeldSeq(Connection c, String tenantId) throws SQLException;

    /**
     * The disk floor forces events of the tenant below {@code belowSeq} out: forget whatever this hold
     * keeps for them (rows referring to them), inside the pruner's write transaction. Returns how many
     * held events were given up (counted and audited as {@code events.pruned_unpublished}).
     */
    long release(WriteContext w, String tenantId, long belowSeq) throws SQLException;
}
