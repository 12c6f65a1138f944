package com.airotech.connect.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An event as the tenant reads it back. */
public record StoredEvent(long seq, String eventId, String connectorId, String eventType, Instant occurredAt, Instant receivedAt, JsonNode data) {}
