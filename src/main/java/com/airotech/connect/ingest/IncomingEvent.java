package com.airotech.connect.ingest;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.RegistrationRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The validated envelope of an ingested event; the body itself is stored byte for byte. */
public record IncomingEvent(String eventType, String eventId, Instant occurredAt) {
    public static final int MAX_EVENT_ID = 128;

    public IncomingEvent {
        if (eventType == null || !RegistrationRequest.EVENT_TYPE.matcher(eventType).matches()) {
            throw new ApiException(400, "invalid_event_type", "Field 'event_type' must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
        }
        if (eventId != null && (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID || !Text.isPrintable(eventId))) {
            throw ApiException.invalidRequest("Field 'event_id' must be 1-128 printable characters.");
        }
    }

    /** Parses and validates an ingest body: a JSON object with {@code event_type}, optional {@code event_id}, {@code occurred_at}, {@code data}. */
    public static IncomingEvent parse(byte[] body) {
        ObjectNode o = Json.parseObject(body);
        JsonNode type = o.get("event_type");
        if (type == null || type.isNull()) throw ApiException.invalidRequest("Field 'event_type' is required.");
        if (!type.isTextual()) throw new ApiException(400, "invalid_event_type", "Field 'event_type' must be a string.");
        JsonNode id = o.get("event_id");
        if (id != null && !id.isNull() && !id.isTextual()) throw ApiException.invalidRequest("Field 'event_id' must be a string.");
        JsonNode occurred = o.get("occurred_at");
        Instant occurredAt = null;
        if (occurred != null && !occurred.isNull()) {
            if (!occurred.isTextual()) throw ApiException.invalidRequest("Field 'occurred_at' must be an ISO-8601 timestamp string.");
            occurredAt = Times.parse(occurred.asText(), "occurred_at");
        }
        return new IncomingEvent(type.asText(), id == null || id.isNull() ? null : id.asText(), occurredAt);
    }
}
