package com.airotech.connect.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.KafkaBroker;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutboxKafkaIT {
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() { broker = KafkaBroker.start(); }

    @AfterAll
    static void stopBroker() { broker.close(); }

    private static TestGateway gatewayWithKafka(Path propertiesFile) {
        Path dir = TestGateway.tempDir().resolve("data");
        return TestGateway.start(Config.defaults(dir).withPorts(0, -1).withKafka(broker.bootstrap(), propertiesFile));
    }

    @Test
    void eachStoredEventIsPublishedToItsTenantAndTypeTopicKeyedByConnectorWithHeaders() throws Exception {
        Path props = Files.createTempFile("kafka", ".properties");
        Files.writeString(props, "airotech.topic.partitions=2\nlinger.ms=1\n");
        try (TestGateway gw = gatewayWithKafka(props)) {
            TestGateway.TenantHandle t = gw.tenant("acme");
            JsonNode reg = gw.register(t, "hmac", null);
            String connector = reg.get("connector_id").asText();
            String whsec = reg.get("credential").asText();
            byte[] door = Signer.event("door_open", "evt-door-1");
            byte[] temp = Signer.event("temp_reading", "evt-temp-1");
            assertThat(gw.ingest(reg.get("webhook_path").asText(), door, Signer.hmac(whsec, door)).status()).isEqualTo(202);
            TestGateway.Response accepted = gw.ingest(reg.get("webhook_path").asText(), temp, Signer.hmac(whsec, temp));
            assertThat(accepted.status()).isEqualTo(202);

            String doorTopic = "airotech." + t.tenantId() + ".door_open";
            String tempTopic = "airotech." + t.tenantId() + ".temp_reading";
            Await.until(() -> gw.platform.relay().publishedTotal() >= 2, Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(List.of(doorTopic, tempTopic), 2, Duration.ofSeconds(20));

            assertThat(records).hasSize(2);
            ConsumerRecord<byte[], byte[]> tempRecord = records.stream().filter(r -> r.topic().equals(tempTopic)).findFirst().orElseThrow();
            assertThat(new String(tempRecord.key(), StandardCharsets.UTF_8)).isEqualTo(connector);
            assertThat(header(tempRecord, EventMessage.EVENT_ID)).isEqualTo("evt-temp-1");
            assertThat(header(tempRecord, EventMessage.TENANT_ID)).isEqualTo(t.tenantId());
            assertThat(header(tempRecord, EventMessage.CONNECTOR_ID)).isEqualTo(connector);
            assertThat(header(tempRecord, EventMessage.RECEIVED_AT)).isEqualTo(accepted.text("received_at"));
            JsonNode value = Json.tree(tempRecord.value());
            assertThat(value.get("event_id").asText()).isEqualTo("evt-temp-1");
            assertThat(value.get("tenant_id").asText()).isEqualTo(t.tenantId());
            assertThat(value.get("connector_id").asText()).isEqualTo(connector);
            assertThat(value.get("event_type").asText()).isEqualTo("temp_reading");
            assertThat(value.get("occurred_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
            assertThat(value.get("received_at").asText()).isEqualTo(accepted.text("received_at"));
            assertThat(value.get("data").get("value").asDouble()).isEqualTo(21.5);
            try (var c = broker.consumer()) {
                assertThat(c.partitionsFor(tempTopic, Duration.ofSeconds(10))).hasSize(2);
            }

            Await.until(() -> gw.platform.status().report(t.principal()).outboxDepth() == 0, Duration.ofSeconds(10));
            TestGateway.Response status = gw.get(t.token(), "/api/status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().at("/gateway/kafka/state").asText()).isEqualTo("connected");
            assertThat(status.json().at("/gateway/outbox/depth").asLong()).isZero();
            assertThat(status.json().at("/tenant/events").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aBrokerOutageDuringIngestLosesNothingAndKeepsEachConnectorsOrder() throws Exception {
        try (TestGateway gw = gatewayWithKafka(null)) {
            TestGateway.TenantHandle t = gw.tenant("outage");
            List<JsonNode> connectors = List.of(gw.register(t, "hmac", null), gw.register(t, "api_key", null));
            Map<String, List<String>> sentInOrder = new LinkedHashMap<>();
            for (JsonNode c : connectors) sentInOrder.put(c.get("connector_id").asText(), new ArrayList<>());
            AtomicInteger n = new AtomicInteger();
            Runnable sendRound = () -> {
                for (JsonNode c : connectors) {
                    String id = "ord-" + n.incrementAndGet();
                    byte[] body = Signer.event("reading", id);
                    String credential = c.get("credential").asText();
                    List<String> headers = c.get("auth_method").asText().equals("hmac") ? Signer.hmac(credential, body) : Signer.apiKey(credential);
                    TestGateway.Response r = gw.ingest(c.get("webhook_path").asText(), body, headers);
                    assertThat(r.status()).as(r.raw()).isEqualTo(202);
                    sentInOrder.get(c.get("connector_id").asText()).add(id);
                }
            };
            for (int i = 0; i < 20; i++) sendRound.run();
            Await.until(() -> gw.platform.relay().publishedTotal() >= 40, Duration.ofSeconds(30));

            broker.stop();
            for (int i = 0; i < 60; i++) sendRound.run();
            java.util.function.Supplier<String> relay = () -> "(relay " + gw.platform.relay().state() + ", running " + gw.platform.relay().running()
                    + ", last error " + gw.platform.relay().lastError() + ", published " + gw.platform.relay().publishedTotal()
                    + ", failures " + gw.platform.relay().failuresTotal() + ", outbox " + gw.platform.status().report(t.principal()).outboxDepth() + ")";
            // at most one metadata wait (max.block.ms 10 s) or the delivery timeout (20 s); generous for a loaded machine
            Await.until("the relay to find Kafka unreachable", () -> gw.platform.relay().state() == KafkaState.UNREACHABLE, Duration.ofSeconds(60), relay);
            TestGateway.Response during = gw.get(t.token(), "/api/status");
            assertThat(during.json().at("/gateway/kafka/state").asText()).isEqualTo("unreachable");
            assertThat(during.json().at("/gateway/outbox/depth").asLong()).isPositive();
            assertThat(during.json().at("/tenant/outbox_depth").asLong()).isPositive();
            for (int i = 0; i < 20; i++) sendRound.run();

            broker.startAgain();
            Await.until("the outbox to drain", () -> gw.platform.status().report(t.principal()).outboxDepth() == 0, Duration.ofSeconds(90), relay);

            int total = n.get();
            List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(List.of("airotech." + t.tenantId() + ".reading"), total, Duration.ofSeconds(30));
            Map<String, Set<String>> firstSeen = new HashMap<>();
            for (String c : sentInOrder.keySet()) firstSeen.put(c, new LinkedHashSet<>());
            for (ConsumerRecord<byte[], byte[]> r : records) {
                firstSeen.get(new String(r.key(), StandardCharsets.UTF_8)).add(header(r, EventMessage.EVENT_ID));
            }
            for (Map.Entry<String, List<String>> e : sentInOrder.entrySet()) {
                assertThat(new ArrayList<>(firstSeen.get(e.getKey()))).as("events of %s, de-duplicated, in Kafka order", e.getKey())
                        .containsExactlyElementsOf(e.getValue());
            }
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
