package com.airotech.connect.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's own retention: never touched by event retention, off by default; when the
 * operator turns it on, old entries go and the chain stays verifiable from its anchor, while an
 * entry altered after the anchor, or entries removed at its start outside retention, are caught.
 */
class AuditRetentionIT {
    private static void register(TestGateway gw, TenantHandle t, String name) {
        gw.platform.connectors().register(t.principal(), new RegistrationRequest(name, null, AuthMethod.API_KEY, null, 60, null));
    }

    private static List<AuditEntry> trail(TestGateway gw, String tenantId) {
        return gw.platform.audit().page(tenantId, new AuditQuery(null, null, null, null, null, null, 1000, null)).entries();
    }

    private static void sql(TestGateway gw, String statement, Object... args) {
        gw.platform.database().write(w -> {
            PreparedStatement ps = w.prepare(statement);
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
            return null;
        });
    }

    private static String column(TestGateway gw, String query, Object... args) {
        return gw.platform.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(query)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Test
    void prunedEntriesLeaveAnAnchorFromWhichTheChainStillVerifiesAndTamperingAfterItIsCaught() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            gw.platform.pruner().close(); // this test runs the rounds itself
            TenantHandle t = gw.tenant("north");
            for (int i = 0; i < 3; i++) register(gw, t, "old-" + i);
            clock.advance(Duration.ofDays(40));
            // event retention (30 days) never touches the trail
            assertThat(gw.platform.pruner().runOnce().auditEntries()).isZero();
            assertThat(trail(gw, t.tenantId())).hasSize(4);

            for (int i = 0; i < 2; i++) register(gw, t, "new-" + i);
            gw.platform.retention().setSite("os:test", new RetentionService.SiteChange(null, 7, false));
            Pruner.Round round = gw.platform.pruner().runOnce();

            assertThat(round.auditEntries()).as("tenant.created and three registrations, older than 7 days").isEqualTo(4);
            List<AuditEntry> left = trail(gw, t.tenantId());
            assertThat(left).extracting(AuditEntry::action)
                    .containsExactly("connector.registered", "connector.registered", "retention.changed", AuditLog.PRUNED);
            AuditEntry pruned = left.get(3);
            assertThat(pruned.actor()).isEqualTo("system:retention");
            assertThat(pruned.detail().get("count").asInt()).isEqualTo(4);
            assertThat(pruned.detail().get("anchor_n").asLong()).isEqualTo(4);
            AuditLog.Verification v = gw.platform.audit().verify();
            assertThat(v.intact()).as(v.problem()).isTrue();
            assertThat(v.entries()).isEqualTo(4);

            // an entry after the anchor, altered: caught and named
            String detail = column(gw, "SELECT detail FROM audit WHERE tenant_id = ? AND n = 6", t.tenantId());
            sql(gw, "UPDATE audit SET detail = ? WHERE tenant_id = ? AND n = 6", "{\"system_name\":\"forged\"}", t.tenantId());
            AuditLog.Verification altered = gw.platform.audit().verify();
            assertThat(altered.intact()).isFalse();
            assertThat(altered.problem()).contains("(#6)").contains("altered");
            sql(gw, "UPDATE audit SET detail = ? WHERE tenant_id = ? AND n = 6", detail, t.tenantId());
            assertThat(gw.platform.audit().verify().intact()).isTrue();

            // the first entry after the anchor removed, and the anchor moved on to hide it: caught
            String hash5 = column(gw, "SELECT hash FROM audit WHERE tenant_id = ? AND n = 5", t.tenantId());
            sql(gw, "DELETE FROM audit WHERE tenant_id = ? AND n = 5", t.tenantId());
            sql(gw, "UPDATE audit_anchors SET n = 5, hash = ? WHERE tenant_id = ?", hash5, t.tenantId());
            AuditLog.Verification moved = gw.platform.audit().verify();
            assertThat(moved.intact()).isFalse();
            assertThat(moved.problem()).contains("no audit.pruned entry records");

            // the anchor removed: the chain no longer starts at #1, caught
            sql(gw, "DELETE FROM audit_anchors WHERE tenant_id = ?", t.tenantId());
            AuditLog.Verification unanchored = gw.platform.audit().verify();
            assertThat(unanchored.intact()).isFalse();
            assertThat(unanchored.problem()).contains("does not follow entry #0");
        }
    }

    @Test
    void theCommandLineVerifiesAPrunedChainAndTheOperatorsSettingsAreAuditedInEveryTenant() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            gw.platform.pruner().close();
            TenantHandle a = gw.tenant("north");
            TenantHandle b = gw.tenant("south");
            register(gw, a, "meter");
            clock.advance(Duration.ofDays(3));
            gw.platform.retention().setSite("os:ops", new RetentionService.SiteChange(20, 1, false));
            assertThat(gw.platform.pruner().runOnce().auditEntries()).isEqualTo(3); // north: 2, south: 1

            var verify = com.airotech.connect.testing.Cli.run("audit", "verify", "--data-dir", gw.dataDir.toString());
            assertThat(verify.code()).as(verify.err()).isZero();
            assertThat(verify.json().get("intact").asBoolean()).isTrue();

            for (TenantHandle t : List.of(a, b)) {
                List<AuditEntry> changed = gw.platform.audit().page(t.tenantId(), new AuditQuery(null, null, "retention.changed", null, null, null, 10, null)).entries();
                assertThat(changed).extracting(e -> e.detail().get("setting").asText()).containsExactlyInAnyOrder("min_free_disk_percent", "audit_max_age_days");
                assertThat(changed).allMatch(e -> e.actor().equals("os:ops") && e.detail().get("scope").asText().equals("site"));
            }
        }
    }
}
