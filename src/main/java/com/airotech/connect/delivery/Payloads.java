package com.airotech.connect.delivery;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The body of a delivery (API.md §7): {@code {"event_id","tenant_id","connector_id","event_type",
 * "occurred_at","received_at","data"}}, built from the stored envelope by copying its {@code data}
 * value's bytes across, so a large event is neither parsed into a tree nor changed on the way.
 */
public final class Payloads {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private Payloads() {}

    public static byte[] build(String tenantId, String connectorId, String eventId, String eventType, Long occurredAtMillis, long receivedAtMillis,
                               byte[] storedBody) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(storedBody.length + 256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", eventId);
            g.writeStringField("tenant_id", tenantId);
            g.writeStringField("connector_id", connectorId);
            g.writeStringField("event_type", eventType);
            if (occurredAtMillis == null) g.writeNullField("occurred_at");
            else g.writeStringField("occurred_at", Times.format(Instant.ofEpochMilli(occurredAtMillis)));
            g.writeStringField("received_at", Times.format(Instant.ofEpochMilli(receivedAtMillis)));
            g.writeFieldName("data");
            if (!copyData(storedBody, g)) g.writeNull();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event could not be read back", e);
        }
        return out.toByteArray();
    }

    /**
     * Copies the envelope's top-level {@code data} value into the generator byte for byte (the
     * receiver gets exactly what the site gateway sent: {@code 2.50} stays {@code 2.50}); false when
     * the envelope has none.
     */
    private static boolean copyData(byte[] body, JsonGenerator g) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(name)) {
                    long start = p.currentTokenLocation().getByteOffset();
                    if (value.isStructStart()) p.skipChildren(); else p.finishToken();
                    long end = p.currentLocation().getByteOffset();
                    if (start < 0 || end <= start || end > body.length) {
                        throw new IOException("no byte offsets for the stored event's data");
                    }
                    g.writeRawValue(new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8).strip());
                    return true;
                }
                p.skipChildren();
            }
            return false;
        }
    }
}
