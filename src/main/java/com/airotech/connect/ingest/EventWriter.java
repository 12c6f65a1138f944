package com.airotech.connect.ingest;

import com.airotech.connect.store.WriteContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Stores one ingested event: {@code INSERT … ON CONFLICT DO NOTHING RETURNING seq}, so a repeated
 * {@code event_id} is answered as a duplicate with the first copy's receive time, and the sink
 * (the outbox) is told the new row's {@code seq}. Runs on the database writer, as a pure write.
 */
final class EventWriter {
    /** One event to store. {@code occurredAt} may be null. */
    record Row(String tenantId, String connectorId, String eventId, String eventType, Long occurredAt, long receivedAt,
               String webhookId, byte[] body) {}

    private static final String INSERT = "INSERT INTO events (tenant_id, connector_id, event_id, event_type, occurred_at, received_at, webhook_id, body)"
            + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id, connector_id, event_id) DO NOTHING RETURNING seq";

    private final EventSink sink;

    EventWriter(EventSink sink) { this.sink = sink; }

    IngestResult write(WriteContext w, Row r) throws SQLException {
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
            sink.stored(w, seq, r.tenantId(), r.receivedAt());
            return new IngestResult(r.eventId(), Instant.ofEpochMilli(r.receivedAt()), false);
        }
        return duplicate(w, r);
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
