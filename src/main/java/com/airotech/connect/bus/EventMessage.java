package com.airotech.connect.bus;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka record of a stored event: topic {@code airotech.{tenant_id}.{event_type}}, key the
 * connector id (so one connector's events stay in order on one partition), headers for routing
 * and de-duplication without parsing, and the event as JSON.
 */
public final class EventMessage {
    public static final String EVENT_ID = "event_id";
    public static final String TENANT_ID = "tenant_id";
    public static final String CONNECTOR_ID = "connector_id";
    public static final String RECEIVED_AT = "received_at";

    private EventMessage() {}

    public static ProducerRecord<byte[], byte[]> of(OutboxRecord r) {
        String receivedAt = Times.format(r.receivedAt());
        RecordHeaders h = new RecordHeaders();
        h.add(EVENT_ID, utf8(r.eventId()));
        h.add(TENANT_ID, utf8(r.tenantId()));
        h.add(CONNECTOR_ID, utf8(r.connectorId()));
        h.add(RECEIVED_AT, utf8(receivedAt));
        return new ProducerRecord<>(r.topic(), null, utf8(r.connectorId()), value(r, receivedAt), h);
    }

    static byte[] value(OutboxRecord r, String receivedAt) {
        ObjectNode o = Json.object()
                .put("event_id", r.eventId())
                .put("connector_id", r.connectorId())
                .put("tenant_id", r.tenantId())
                .put("event_type", r.eventType());
        if (r.occurredAt() == null) o.putNull("occurred_at"); else o.put("occurred_at", Times.format(r.occurredAt()));
        o.put("received_at", receivedAt);
        JsonNode data = Json.tree(r.body()).get("data");
        o.set("data", data == null ? NullNode.getInstance() : data);
        return Json.writeBytes(o);
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
