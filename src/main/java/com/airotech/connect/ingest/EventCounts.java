package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The summary of the event log ({@code event_counts}): per connector and event type, how many events
 * are stored and when the connector last delivered one. Written in the same transaction as the rows
 * it counts (by the event writer and by pruning), so it is exact whatever commits or rolls back; the
 * console and {@code /api/status} read it instead of counting the log, and a listing by connector and
 * type reads it to choose its index.
 */
public final class EventCounts {
    private static final String ADD = "INSERT INTO event_counts (tenant_id, connector_id, event_type, events, last_received_at) VALUES (?,?,?,1,?)"
            + " ON CONFLICT (tenant_id, connector_id, event_type) DO UPDATE SET events = events + 1,"
            + " last_received_at = max(coalesce(last_received_at, 0), excluded.last_received_at)";
    private static final String REMOVE = "UPDATE event_counts SET events = events - ? WHERE tenant_id = ? AND connector_id = ? AND event_type = ?";

    /** A connector and an event type: what the summary counts by. */
    public record Key(String connectorId, String eventType) {}

    private EventCounts() {}

    /** One event of the connector and type was stored, received at {@code receivedAtMillis}. */
    static void added(WriteContext w, String tenantId, String connectorId, String eventType, long receivedAtMillis) throws SQLException {
        PreparedStatement ps = w.prepare(ADD);
        ps.setString(1, tenantId);
        ps.setString(2, connectorId);
        ps.setString(3, eventType);
        ps.setLong(4, receivedAtMillis);
        ps.executeUpdate();
    }

    /** Events of the tenant were removed: how many per connector and type. */
    public static void removed(WriteContext w, String tenantId, Map<Key, Long> counts) throws SQLException {
        PreparedStatement ps = w.prepare(REMOVE);
        for (Map.Entry<Key, Long> e : counts.entrySet()) {
            ps.setLong(1, e.getValue());
            ps.setString(2, tenantId);
            ps.setString(3, e.getKey().connectorId());
            ps.setString(4, e.getKey().eventType());
            ps.executeUpdate();
        }
    }
}
