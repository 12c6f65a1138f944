package com.airotech.connect.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin tokens rotate with a grace like connector credentials, can be revoked at once, and a
 * disabled tenant is refused; a change made by another process sharing the data directory (the
 * command line beside the gateway) reaches the gateway's token cache.
 */
class AdminTokenIT {
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        g = TestGateway.start(clock);
        acme = g.tenant("acme");
    }

    @AfterEach
    void stop() { g.close(); }

    private int status(String token) { return g.get(token, "/api/connectors").status(); }

    private List<String> actions() {
        return g.platform.audit().latest(acme.tenantId(), 50).stream().map(AuditEntry::action).toList();
    }

    @Test
    void aRotatedTokenKeepsWorkingForItsGraceThenIsExpiredAndASecondRotationEndsTheOldestAtOnce() {
        TestGateway.Response first = g.postJson(acme.token(), "/api/admin-token/rotate", "{\"grace_seconds\":120}");
        assertThat(first.status()).isEqualTo(200);
        String second = first.text("admin_token");
        assertThat(second).startsWith("atk_").isNotEqualTo(acme.token());
        assertThat(first.text("previous_valid_until")).isEqualTo(com.airotech.connect.common.Times.format(clock.instant().plusSeconds(120)));
        assertThat(status(acme.token())).isEqualTo(200);
        assertThat(status(second)).isEqualTo(200);

        clock.advance(Duration.ofSeconds(121));
        TestGateway.Response old = g.get(acme.token(), "/api/connectors");
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.error()).isEqualTo("credential_expired");
        assertThat(status(second)).isEqualTo(200);

        // no body: the default grace of 60 s
        TestGateway.Response r3 = g.send(g.admin(second, "/api/admin-token/rotate").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r3.status()).isEqualTo(200);
        assertThat(r3.text("previous_valid_until")).isEqualTo(com.airotech.connect.common.Times.format(clock.instant().plusSeconds(60)));
        String third = r3.text("admin_token");
        TestGateway.Response r4 = g.postJson(third, "/api/admin-token/rotate", "{}");
        assertThat(status(second)).as("the token in the grace of the earlier rotation ends at once").isEqualTo(401);
        assertThat(status(third)).isEqualTo(200);
        assertThat(status(r4.text("admin_token"))).isEqualTo(200);

        List<AuditEntry> rotated = g.platform.audit().latest(acme.tenantId(), 50).stream().filter(e -> e.action().equals("admin_token.rotated")).toList();
        assertThat(rotated).hasSize(3);
        assertThat(rotated.get(0).actor()).isEqualTo("ops@acme");
        assertThat(rotated.toString()).doesNotContain(second).doesNotContain(third);

        assertThat(g.postJson(third, "/api/admin-token/rotate", "{\"grace_seconds\":-1}").error()).isEqualTo("invalid_request");
    }

    @Test
    void revokingEndsEveryTokenOfTheTenantAtOnceAndTheOperatorIssuesANewOne() {
        TestGateway.Response r = g.delete(acme.token(), "/api/admin-token");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("revoked").asInt()).isEqualTo(1);
        assertThat(status(acme.token())).isEqualTo(401);
        AdminTokenRotation fresh = g.platform.tenants().rotateAdminToken(acme.tenantId(), 0, "os:operator");
        assertThat(status(fresh.adminToken().utf8())).isEqualTo(200);
        assertThat(actions()).contains("admin_token.revoked", "admin_token.rotated");
    }

    @Test
    void aChangeMadeByAnotherProcessOnTheSameDataDirectoryReachesTheGatewaysTokenCache() {
        assertThat(status(acme.token())).isEqualTo(200); // cached now
        try (Platform cli = Platform.open(Config.defaults(g.dataDir))) {
            cli.tenants().revokeAdminTokens(acme.tenantId(), "os:operator");
        }
        Await.until("the gateway refuses the revoked token", () -> status(acme.token()) == 401, Duration.ofSeconds(10));
    }

    @Test
    void aDisabledTenantsTokensAndConnectorsAreRefusedUntilItIsEnabledAndBothAreAudited() {
        assertThat(g.platform.tenants().require(acme.tenantId()).disabled()).isFalse();
        JsonNode c = g.register(acme, "api_key", null);
        byte[] body = Signer.event("door_open", null);
        List<String> key = Signer.apiKey(c.get("credential").asText());
        assertThat(g.ingest(c.get("webhook_path").asText(), body, key).status()).isEqualTo(202);

        Tenant t = g.platform.tenants().setDisabled(acme.tenantId(), true, "os:operator");
        assertThat(t.disabled()).isTrue();
        TestGateway.Response refused = g.get(acme.token(), "/api/connectors");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("message").asText()).contains("disabled");
        assertThat(g.ingest(c.get("webhook_path").asText(), body, key).status()).isEqualTo(401);
        assertThat(actions()).contains("tenant.disabled", "admin_token.refused");

        assertThat(g.platform.tenants().list()).filteredOn(x -> x.tenantId().equals(acme.tenantId())).extracting(Tenant::disabled).containsExactly(true);
        assertThat(g.platform.tenants().setDisabled(acme.tenantId(), false, "os:operator").disabled()).isFalse();
        assertThat(status(acme.token())).isEqualTo(200);
        assertThat(g.ingest(c.get("webhook_path").asText(), body, key).status()).isEqualTo(202);
        assertThat(actions()).contains("tenant.enabled");
    }

    @Test
    void aRefusedTokenNamesTheDataDirectoryInTheOperatorLogButNeverInTheAnswer() {
        try (LogCapture log = new LogCapture()) {
            TestGateway.Response r = g.get("atk_made_by_a_command_line_with_another_data_dir", "/api/connectors");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.raw()).doesNotContain(g.dataDir.toString()).contains("operator log");
            Await.until("the log line", () -> log.text().contains(g.dataDir.toAbsolutePath().toString()), Duration.ofSeconds(5));
            assertThat(log.text()).contains("--data-dir");
        }
    }
}
