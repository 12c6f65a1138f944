package com.airotech.connect.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAndMetricsIT {
    @Test
    void withKafkaOffStatusShowsTheTenantsCountsAndNoOutboxAndMetricsCoverIngestAndTheWriter() {
        try (TestGateway gw = TestGateway.start()) {
            TestGateway.TenantHandle t = gw.tenant("north");
            TestGateway.TenantHandle other = gw.tenant("south");
            JsonNode reg = gw.register(t, "hmac", null);
            byte[] body = Signer.event("door_open", null);
            assertThat(gw.ingest(reg.get("webhook_path").asText(), body, Signer.hmac(reg.get("credential").asText(), body)).status()).isEqualTo(202);
            assertThat(gw.ingest(reg.get("webhook_path").asText(), body, List.of()).status()).isEqualTo(401);

            TestGateway.Response mine = gw.get(t.token(), "/api/status");
            assertThat(mine.status()).isEqualTo(200);
            assertThat(mine.json().at("/tenant/events").asLong()).isEqualTo(1);
            assertThat(mine.json().at("/gateway/kafka/state").asText()).isEqualTo("off");
            assertThat(mine.json().at("/gateway/outbox/depth").asLong()).isZero();
            assertThat(gw.get(other.token(), "/api/status").json().at("/tenant/events").asLong()).as("another tenant's count").isZero();
            assertThat(gw.send(HttpRequest.newBuilder(gw.uri("/api/status")).GET().build()).status()).isEqualTo(401);
            long outboxRows = gw.platform.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) { return rs.next() ? rs.getLong(1) : -1L; }
            });
            assertThat(outboxRows).as("no outbox rows without Kafka").isZero();

            TestGateway.Response metrics = gw.send(HttpRequest.newBuilder(gw.uri("/metrics")).GET().build());
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.raw())
                    .contains("airotech_ingest_latency_seconds_count{method=\"hmac\"} 1")
                    .contains("airotech_ingest_latency_seconds_bucket{method=\"hmac\"")
                    .contains("airotech_ingest_rejected_total{method=\"hmac\",reason=\"")
                    .contains("airotech_writer_batch_size_count")
                    .contains("airotech_writer_commit_seconds_bucket")
                    .contains("jvm_memory_used_bytes")
                    .doesNotContain(t.tenantId());
        }
    }

    @Test
    void withKafkaUnreachableIngestKeepsAcceptingAndTheBacklogIsVisible() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) { closedPort = s.getLocalPort(); }
        Path dir = TestGateway.tempDir().resolve("data");
        try (TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1).withKafka("127.0.0.1:" + closedPort, null))) {
            TestGateway.TenantHandle t = gw.tenant("north");
            JsonNode reg = gw.register(t, "api_key", null);
            for (int i = 0; i < 5; i++) {
                byte[] body = Signer.event("temp_reading", "k-" + i);
                assertThat(gw.ingest(reg.get("webhook_path").asText(), body, Signer.apiKey(reg.get("credential").asText())).status()).isEqualTo(202);
            }
            TestGateway.Response status = gw.get(t.token(), "/api/status");
            assertThat(status.json().at("/tenant/outbox_depth").asLong()).isEqualTo(5);
            assertThat(status.json().at("/gateway/outbox/depth").asLong()).isEqualTo(5);
            assertThat(status.json().at("/gateway/kafka/bootstrap").asText()).isEqualTo("127.0.0.1:" + closedPort);
            String metrics = gw.send(HttpRequest.newBuilder(gw.uri("/metrics")).GET().build()).raw();
            assertThat(metrics).contains("airotech_outbox_depth 5.0").contains("airotech_outbox_lag_seconds");
        }
    }

    /** Issue 13, item 9: the Kafka client's error text can name other tenants' topics: a tenant sees the state, the operator log the details. */
    @Test
    void aTenantSeesKafkasStateButNeverTheClientsErrorText() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) { closedPort = s.getLocalPort(); }
        Path dir = TestGateway.tempDir().resolve("data");
        Path props = TestGateway.tempDir().resolve("kafka.properties");
        java.nio.file.Files.writeString(props, "default.api.timeout.ms=1000\nrequest.timeout.ms=500\nmax.block.ms=500\n");
        try (LogCapture log = new LogCapture();
             TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1).withKafka("127.0.0.1:" + closedPort, props))) {
            TestGateway.TenantHandle a = gw.tenant("north");
            TestGateway.TenantHandle b = gw.tenant("south");
            JsonNode reg = gw.register(b, "api_key", null);
            assertThat(gw.ingest(reg.get("webhook_path").asText(), Signer.event("temp_reading", null), Signer.apiKey(reg.get("credential").asText())).status())
                    .isEqualTo(202);
            Await.until("the relay reports a failure", () -> gw.platform.relay().lastError() != null, java.time.Duration.ofSeconds(30));
            String detail = gw.platform.relay().lastError();
            JsonNode kafka = gw.get(a.token(), "/api/status").json().at("/gateway/kafka");
            assertThat(kafka.get("state").asText()).isEqualTo("unreachable");
            assertThat(kafka.get("last_error").asText()).doesNotContain(detail).doesNotContain("Exception").doesNotContain(b.tenantId())
                    .contains("operator log");
            assertThat(log.text()).contains(detail);
        }
    }
}
