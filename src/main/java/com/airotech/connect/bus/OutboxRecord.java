package com.airotech.connect.bus;

import java.time.Instant;
import java.util.Objects;

/** One stored event waiting in the outbox, with the body exactly as it was received. */
public record OutboxRecord(long seq, String tenantId, String connectorId, String eventId, String eventType,
                           Instant occurredAt, Instant receivedAt, byte[] body) {
    public OutboxRecord {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(body, "body");
    }

    /** {@code airotech.{tenant_id}.{event_type}} */
    public String topic() { return "airotech." + tenantId + "." + eventType; }
}
