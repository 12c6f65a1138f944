package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** More than 20 failed authentications in a minute from one address → 429 with Retry-After; the audit trail gets one summary per connector-minute. */
class FailureThrottleIT {
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;

    @BeforeEach
    void start() {
        // five seconds into a minute, so the test's minute is known
        clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5));
        g = TestGateway.start(clock);
        acme = g.tenant("acme");
    }

    @AfterEach
    void stop() { g.close(); }

    private TestGateway.Response signed(JsonNode c, String whsec) {
        byte[] body = Signer.event("door_open", null);
        return g.ingest(c.get("webhook_path").asText(), body, Signer.hmac(whsec, body, Senders.newMessageId(), clock.instant().getEpochSecond()));
    }

    @Test
    void anAddressWithTwentyFailuresAtAConnectorIsRateLimitedUntilTheMinuteEndsButAValidCredentialStillPasses() {
        JsonNode c = g.register(acme, "hmac", null);
        JsonNode neighbour = g.register(acme, "hmac", null);
        String wrong = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        for (int i = 0; i < 20; i++) {
            TestGateway.Response r = signed(c, wrong);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("signature_invalid");
        }
        TestGateway.Response limited = signed(c, wrong);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.error()).isEqualTo("rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).contains("55");
        // verification comes first: a valid credential is never refused, whoever failed before
        assertThat(signed(c, c.get("credential").asText()).status()).isEqualTo(202);
        // the limit is per connector and address: another connector from the same address is not affected
        assertThat(signed(neighbour, wrong).status()).isEqualTo(401);

        clock.advance(Duration.ofSeconds(55));
        assertThat(signed(c, wrong).status()).isEqualTo(401);
    }

    @Test
    void unknownConnectorsAreThrottledPerSourceAddress() {
        for (int i = 0; i < 20; i++) {
            assertThat(g.ingest("/api/events/ingest/" + acme.tenantId() + "/cn_nosuch" + i, Signer.event("x", null), List.of()).status()).isEqualTo(401);
        }
        TestGateway.Response r = g.ingest("/api/events/ingest/" + acme.tenantId() + "/cn_another", Signer.event("x", null), List.of());
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void rejectionsAreAuditedAsOneSummaryPerConnectorAndMinute() {
        JsonNode c = g.register(acme, "api_key", null);
        for (int i = 0; i < 3; i++) g.ingest(c.get("webhook_path").asText(), Signer.event("door_open", null), Signer.apiKey("ak_wrong" + i));
        g.ingest(c.get("webhook_path").asText(), Signer.event("door_open", null), Signer.basic(c.get("connector_id").asText(), "pw"));
        g.ingest(c.get("webhook_path").asText(), Signer.event("door_open", null), List.of());
        assertThat(g.platform.rejections().flushCompleted()).isZero(); // the minute is still running

        clock.advance(Duration.ofSeconds(60));
        g.ingest(c.get("webhook_path").asText(), Signer.event("door_open", null), Signer.apiKey("ak_next_minute"));
        assertThat(g.platform.rejections().flushCompleted()).isEqualTo(1);

        JsonNode entries = g.get(acme.token(), "/api/audit?action=auth.rejected").json().get("entries");
        assertThat(entries).hasSize(1);
        JsonNode e = entries.get(0);
        assertThat(e.get("actor").asText()).isEqualTo(c.get("connector_id").asText());
        assertThat(e.get("target").asText()).isEqualTo(c.get("connector_id").asText());
        assertThat(e.get("detail").get("count").asInt()).isEqualTo(5);
        assertThat(e.get("detail").get("reasons").get("unauthorized").asInt()).isEqualTo(4);
        assertThat(e.get("detail").get("reasons").get("auth_method_mismatch").asInt()).isEqualTo(1);
        assertThat(e.get("detail").get("minute").asText()).endsWith(":00Z");
        assertThat(e.toString()).doesNotContain("ak_wrong");

        g.platform.rejections().close();
        assertThat(g.get(acme.token(), "/api/audit?action=auth.rejected").json().get("entries")).hasSize(2);
        assertThat(g.platform.audit().verify().intact()).isTrue();
    }
}
