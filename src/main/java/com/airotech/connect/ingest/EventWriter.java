package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Stores one ingested event: {@code INSERT … ON CONFLICT DO NOTHING RETURNING seq}, so a repeated
 * {@code event_id} is answered as a duplicate with the first copy's receive time, the connector's
 * summary ({@link EventCounts}) is counted up, and the sink (the outbox) is told the new row's
 * {@code seq}. Runs on the database writer, as a pure write.
 *
 * <p>Receive times follow the order of {@code seq}: requests are timed before they queue for the
 * writer, so one timed later may be stored first, a few milliseconds apart. Such an event takes the
 * receive time of the one stored before it. With that, "received since T" is one range of
 * {@code seq}, found through the {@code received_at} index, and pruning by age removes a prefix of
 * the log. A clock stepped back by more than {@link #MAX_SKEW_MILLIS} is taken as it is (the
 * ordering then holds again from there on), never frozen at a time that lies in the future.
 */
final class EventWriter {
    /** One event to store. {@code occurredAt} may be null. */
    record Row(String tenantId, String connectorId, String eventId, String eventType, Long occurredAt, long receivedAt,
               String webhookId, byte[] body) {}

    private static final String INSERT = "INSERT INTO events (tenant_id, connector_id, event_id, event_type, occurred_at, received_at, webhook_id, body)"
            + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id, connector_id, event_id) DO NOTHING RETURNING seq";

    /** The largest step back in receive time that is taken as queueing rather than a clock change. */
    static final long MAX_SKEW_MILLIS = 5_000;

    private final EventSink sink;
    /** The receive time of the newest stored event; only the writer's thread reads and writes it. */
    private long lastReceivedAt;
    private boolean lastKnown;

    EventWriter(EventSink sink) { this.sink = sink; }

    IngestResult write(WriteContext w, Row given) throws SQLException {
        Row r = inOrder(w, given);
        PreparedStatement ins = w.prepare(INSERT);
        ins.setString(1, r.tenantId());
        ins.setString(2, r.connectorId());
        ins.setString(3, r.eventId());
        ins.setString(4, r.eventType());
        if (r.occurredAt() == null) ins.setNull(5, Types.INTEGER); else ins.setLong(5, r.occurredAt());
        ins.setLong(6, r.receivedAt());
        ins.setString(7, r.webhookId());
        ins.setBytes(8, r.body());
        Long seq = null;
        try (ResultSet rs = ins.executeQuery()) {
            if (rs.next()) seq = rs.getLong(1);
        }
        if (seq != null) {
            lastReceivedAt = r.receivedAt();
            EventCounts.added(w, r.tenantId(), r.connectorId(), r.eventType(), r.receivedAt());
            sink.stored(w, seq, r.tenantId(), r.receivedAt());
            return new IngestResult(r.eventId(), Instant.ofEpochMilli(r.receivedAt()), false);
        }
        return duplicate(w, r);
    }

    /** The row with a receive time no earlier than the newest stored event's, within {@link #MAX_SKEW_MILLIS}. */
    private Row inOrder(WriteContext w, Row r) throws SQLException {
        if (!lastKnown) {
            try (ResultSet rs = w.prepare("SELECT received_at FROM events ORDER BY seq DESC LIMIT 1").executeQuery()) {
                lastReceivedAt = rs.next() ? rs.getLong(1) : 0;
            }
            lastKnown = true;
        }
        long behind = lastReceivedAt - r.receivedAt();
        if (behind <= 0 || behind > MAX_SKEW_MILLIS) return r;
        return new Row(r.tenantId(), r.connectorId(), r.eventId(), r.eventType(), r.occurredAt(), lastReceivedAt, r.webhookId(), r.body());
    }

    private static IngestResult duplicate(WriteContext w, Row r) throws SQLException {
        PreparedStatement q = w.prepare("SELECT received_at FROM events WHERE tenant_id = ? AND connector_id = ? AND event_id = ?");
        q.setString(1, r.tenantId());
        q.setString(2, r.connectorId());
        q.setString(3, r.eventId());
        try (ResultSet rs = q.executeQuery()) {
            if (!rs.next()) throw new SQLException("event " + r.eventId() + " was neither inserted nor found");
            return new IngestResult(r.eventId(), Instant.ofEpochMilli(rs.getLong(1)), true);
        }
    }
}
