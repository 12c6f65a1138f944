package com.airotech.connect.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventMessageTest {
    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aStoredEventBecomesARecordOnItsTenantAndTypeTopicKeyedByConnector() {
        byte[] body = "{\"event_type\":\"door_open\",\"event_id\":\"e1\",\"data\":{\"door\":\"north\"}}".getBytes(StandardCharsets.UTF_8);
        OutboxRecord o = new OutboxRecord(7, "tn_a", "cn_b", "e1", "door_open", Instant.parse("2026-11-22T10:00:00Z"),
                Instant.parse("2026-11-22T10:00:01.250Z"), body);
        ProducerRecord<byte[], byte[]> r = EventMessage.of(o);

        assertThat(r.topic()).isEqualTo("airotech.tn_a.door_open");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cn_b");
        assertThat(header(r, EventMessage.EVENT_ID)).isEqualTo("e1");
        assertThat(header(r, EventMessage.TENANT_ID)).isEqualTo("tn_a");
        assertThat(header(r, EventMessage.CONNECTOR_ID)).isEqualTo("cn_b");
        assertThat(header(r, EventMessage.RECEIVED_AT)).isEqualTo("2026-11-22T10:00:01.250Z");
        JsonNode v = Json.tree(r.value());
        assertThat(v.get("event_id").asText()).isEqualTo("e1");
        assertThat(v.get("tenant_id").asText()).isEqualTo("tn_a");
        assertThat(v.get("connector_id").asText()).isEqualTo("cn_b");
        assertThat(v.get("event_type").asText()).isEqualTo("door_open");
        assertThat(v.get("occurred_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(v.get("data").get("door").asText()).isEqualTo("north");
    }

    @Test
    void anEventWithoutOccurredAtOrDataCarriesNulls() {
        byte[] body = "{\"event_type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = EventMessage.of(new OutboxRecord(1, "tn_a", "cn_b", "ev_x", "ping", null, Instant.EPOCH, body));
        JsonNode v = Json.tree(r.value());
        assertThat(v.get("occurred_at").isNull()).isTrue();
        assertThat(v.get("data").isNull()).isTrue();
    }
}
