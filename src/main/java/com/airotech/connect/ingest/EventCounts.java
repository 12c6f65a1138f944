package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of the event log ({@code event_counts}): per connector and event type, how many events
 * are stored and when the connector last delivered one. Kept in the same transaction as the rows it
 * counts (by the event writer and by pruning), so it is exact whatever commits or rolls back; the
 * console and {@code /api/status} read it instead of counting the log, and a listing by connector and
 * type reads it to choose its index.
 *
 * <p>Each write only notes its change ({@link WriteContext#defer}); the writer applies one batch's
 * changes together just before the batch commits, one update per connector and type instead of one
 * per event (bench/README.md: what it costs the writer).
 */
public final class EventCounts {
    private static final String CHANGE = "UPDATE event_counts SET events = events + ?,"
            + " last_received_at = CASE WHEN ? IS NULL THEN last_received_at ELSE max(coalesce(last_received_at, 0), ?) END"
            + " WHERE tenant_id = ? AND connector_id = ? AND event_type = ?";
    private static final String ADD = "INSERT INTO event_counts (tenant_id, connector_id, event_type, events, last_received_at) VALUES (?,?,?,?,?)";

    /** A connector and an event type: what the summary counts by. */
    public record Key(String connectorId, String eventType) {}

    /** One write's change: events added (positive) or removed (negative), and when the newest added one was received. */
    private record Change(String tenantId, String connectorId, String eventType, long events, Long receivedAt) {}

    private record Total(String tenantId, String connectorId, String eventType) {}

    private static final WriteContext.Summary SUMMARY = EventCounts::apply;

    private EventCounts() {}

    /** One event of the connector and type was stored, received at {@code receivedAtMillis}. */
    static void added(WriteContext w, String tenantId, String connectorId, String eventType, long receivedAtMillis) {
        w.defer(SUMMARY, new Change(tenantId, connectorId, eventType, 1, receivedAtMillis));
    }

    /** Events of the tenant were removed: how many per connector and type. */
    public static void removed(WriteContext w, String tenantId, Map<Key, Long> counts) {
        for (Map.Entry<Key, Long> e : counts.entrySet()) {
            w.defer(SUMMARY, new Change(tenantId, e.getKey().connectorId(), e.getKey().eventType(), -e.getValue(), null));
        }
    }

    /** A batch's changes, summed per connector and type, applied before it commits. */
    private static void apply(WriteContext w, List<Object> records) throws SQLException {
        Map<Total, long[]> sums = new LinkedHashMap<>(); // events, newest receive time (or Long.MIN_VALUE)
        for (Object o : records) {
            Change c = (Change) o;
            long[] t = sums.computeIfAbsent(new Total(c.tenantId(), c.connectorId(), c.eventType()), k -> new long[] {0, Long.MIN_VALUE});
            t[0] += c.events();
            if (c.receivedAt() != null) t[1] = Math.max(t[1], c.receivedAt());
        }
        for (Map.Entry<Total, long[]> e : sums.entrySet()) {
            Total k = e.getKey();
            long events = e.getValue()[0];
            Long newest = e.getValue()[1] == Long.MIN_VALUE ? null : e.getValue()[1];
            if (events == 0 && newest == null) continue;
            PreparedStatement up = w.prepare(CHANGE);
            up.setLong(1, events);
            up.setObject(2, newest);
            up.setObject(3, newest);
            up.setString(4, k.tenantId());
            up.setString(5, k.connectorId());
            up.setString(6, k.eventType());
            // the row is there for all but a connector's first events of a type
            if (up.executeUpdate() > 0) continue;
            PreparedStatement ins = w.prepare(ADD);
            ins.setString(1, k.tenantId());
            ins.setString(2, k.connectorId());
            ins.setString(3, k.eventType());
            ins.setLong(4, events);
            ins.setObject(5, newest);
            ins.executeUpdate();
        }
    }
}
