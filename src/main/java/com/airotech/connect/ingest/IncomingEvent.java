package com.airotech.connect.ingest;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.RegistrationRequest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.time.Instant;

/** The validated envelope of an ingested event; the body itself is stored byte for byte. */
public record IncomingEvent(String eventType, String eventId, Instant occurredAt) {
    public static final int MAX_EVENT_ID = 128;

    public IncomingEvent {
        if (!RegistrationRequest.isEventType(eventType)) {
            throw new ApiException(ApiException.Kind.INVALID, "invalid_event_type", "Field 'event_type' must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
        }
        if (eventId != null && (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID || !Text.isPrintable(eventId))) {
            throw ApiException.invalidRequest("Field 'event_id' must be 1-128 printable characters.");
        }
    }

    /** Duplicate names inside {@code data} are the sender's business (RFC 8259 allows them); the envelope's are not. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /**
     * Parses and validates an ingest body in one streaming pass: a JSON object with
     * {@code event_type}, optional {@code event_id}, {@code occurred_at} and {@code data} (any JSON,
     * checked for syntax but not built into a tree). Syntax errors win over field errors, so a broken
     * body is always {@code invalid_json}.
     */
    public static IncomingEvent parse(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.invalidJson("The request body is empty; send a JSON document.");
        if (!Json.isUtf8(body)) throw ApiException.invalidJson("The request body is not valid UTF-8 (RFC 8259 requires UTF-8).");
        ApiException fieldError = null;
        String type = null;
        String id = null;
        String occurred = null;
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) throw ApiException.invalidJson("The request body holds more than one JSON value.");
                throw ApiException.invalidRequest("The request body must be a JSON object.");
            }
            Set<String> seen = new HashSet<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!seen.add(name)) throw ApiException.invalidJson("The request body is not valid JSON: Duplicate field '" + Text.sanitize(name, 64) + "'");
                JsonToken v = p.nextToken();
                switch (name) {
                    case "event_type" -> {
                        if (v == JsonToken.VALUE_STRING) type = p.getText();
                        else if (v != JsonToken.VALUE_NULL && fieldError == null) fieldError = new ApiException(ApiException.Kind.INVALID, "invalid_event_type", "Field 'event_type' must be a string.");
                    }
                    case "event_id" -> {
                        if (v == JsonToken.VALUE_STRING) id = p.getText();
                        else if (v != JsonToken.VALUE_NULL && fieldError == null) fieldError = ApiException.invalidRequest("Field 'event_id' must be a string.");
                    }
                    case "occurred_at" -> {
                        if (v == JsonToken.VALUE_STRING) occurred = p.getText();
                        else if (v != JsonToken.VALUE_NULL && fieldError == null) fieldError = ApiException.invalidRequest("Field 'occurred_at' must be an ISO-8601 timestamp string.");
                    }
                    default -> { }
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw ApiException.invalidJson("The request body holds more than one JSON value.");
        } catch (IOException e) {
            throw ApiException.invalidJson("The request body is not valid JSON: " + Json.reason(e));
        }
        if (fieldError != null) throw fieldError;
        if (type == null) throw ApiException.invalidRequest("Field 'event_type' is required.");
        return new IncomingEvent(type, id, occurred == null ? null : Times.parse(occurred, "occurred_at"));
    }
}
