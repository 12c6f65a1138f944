package com.airotech.connect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13, item 8: timestamps outside years 0001–9999 are a 400 that names the field, never a 500. */
class ExtremeTimestampsIT {
    private TestGateway g;
    private TestGateway.TenantHandle acme;
    private JsonNode c;

    @BeforeEach
    void start() {
        g = TestGateway.start();
        acme = g.tenant("acme");
        c = g.register(acme, "api_key", null);
    }

    @AfterEach
    void stop() { g.close(); }

    private TestGateway.Response send(String occurredAt) {
        byte[] body = ("{\"event_type\":\"door_open\",\"occurred_at\":\"" + occurredAt + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
        return g.ingest(c.get("webhook_path").asText(), body, Signer.apiKey(c.get("credential").asText()));
    }

    @Test
    void anOccurredAtBeyondYear9999IsABadRequestNamingTheField() {
        for (String t : new String[] {"+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "0000-12-31T23:59:59Z"}) {
            TestGateway.Response r = send(t);
            assertThat(r.status()).as(t + " " + r.raw()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("invalid_request");
            assertThat(r.json().get("message").asText()).contains("occurred_at").contains("9999");
        }
    }

    @Test
    void theFirstAndLastInstantsOfTheRangeAreAccepted() {
        assertThat(send("0001-01-01T00:00:00Z").status()).isEqualTo(202);
        assertThat(send("9999-12-31T23:59:59.999Z").status()).isEqualTo(202);
        JsonNode events = g.get(acme.token(), "/api/events").json().get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("occurred_at").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
    }

    @Test
    void readingWithAnExtremeSinceOrFromIsABadRequestNotAServerError() {
        for (String path : new String[] {"/api/events?since=%2B999999999-01-01T00:00:00Z", "/api/audit?from=%2B999999999-01-01T00:00:00Z",
                "/api/audit?to=-999999999-01-01T00:00:00Z"}) {
            TestGateway.Response r = g.get(acme.token(), path);
            assertThat(r.status()).as(path + " " + r.raw()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("invalid_request");
        }
    }
}
