package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Cli;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code airotech-connect retention show|set} as an operator types it, each change in the audit trail. */
class RetentionCliIT {
    @Test
    void anOperatorShowsAndSetsRetentionTheFloorAndTheAuditRetention() {
        String d = TestGateway.tempDir().resolve("data").toString();
        String tenant = Cli.run("tenant", "create", "north", "--data-dir", d).json().get("tenant_id").asText();

        Cli.Run shown = Cli.run("retention", "show", "--data-dir", d);
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.json().get("min_free_disk_percent").asInt()).isEqualTo(10);
        assertThat(shown.json().get("audit_max_age_days").isNull()).isTrue();
        assertThat(shown.json().at("/storage/state").asText()).isEqualTo("ok");
        assertThat(shown.json().at("/tenants/0/tenant_id").asText()).isEqualTo(tenant);
        assertThat(shown.json().at("/tenants/0/max_age_days").asInt()).isEqualTo(30);

        Cli.Run set = Cli.run("retention", "set", "--tenant", tenant, "--max-age-days", "14", "--data-dir", d);
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.json().get("max_age_days").asInt()).isEqualTo(14);
        assertThat(set.json().get("max_age_days_is_default").asBoolean()).isFalse();
        assertThat(set.json().get("events_stored").asLong()).isZero();

        JsonNode site = Cli.run("retention", "set", "--min-free-disk-percent", "15", "--audit-max-age-days", "365", "--data-dir", d).json();
        assertThat(site.get("min_free_disk_percent").asInt()).isEqualTo(15);
        assertThat(site.get("audit_max_age_days").asInt()).isEqualTo(365);
        assertThat(Cli.run("retention", "set", "--audit-max-age-days", "off", "--data-dir", d).json().get("audit_max_age_days").isNull()).isTrue();
        assertThat(Cli.run("retention", "show", "--tenant", tenant, "--data-dir", d).json().get("max_age_days").asInt()).isEqualTo(14);

        Cli.Run noTenant = Cli.run("retention", "set", "--max-age-days", "5", "--data-dir", d);
        assertThat(noTenant.code()).isEqualTo(1);
        assertThat(noTenant.err()).contains("--tenant");
        Cli.Run tooHigh = Cli.run("retention", "set", "--min-free-disk-percent", "80", "--data-dir", d);
        assertThat(tooHigh.code()).isEqualTo(2);
        assertThat(tooHigh.err()).contains("between 0 (no floor) and 50");
        assertThat(Cli.run("retention", "set", "--audit-max-age-days", "soon", "--data-dir", d).err()).contains("'off'");
        assertThat(Cli.run("retention", "set", "--data-dir", d).err()).contains("Nothing to set");
        assertThat(Cli.run("retention", "set", "--tenant", "tn_nope", "--max-age-days", "3", "--data-dir", d).code()).isNotZero();

        JsonNode changes = Cli.run("audit", "list", "--tenant", tenant, "--action", "retention.changed", "--data-dir", d).json().get("entries");
        assertThat(changes).hasSize(4);
        assertThat(changes.get(0).get("actor").asText()).startsWith("os:");
        assertThat(changes.get(0).at("/detail/setting").asText()).isEqualTo("max_age_days");
        assertThat(changes.get(0).at("/detail/old").asInt()).isEqualTo(30);
        assertThat(changes.get(0).at("/detail/new").asInt()).isEqualTo(14);
        assertThat(changes.get(3).at("/detail/setting").asText()).isEqualTo("audit_max_age_days");
        assertThat(changes.get(3).at("/detail/old").asInt()).isEqualTo(365);
        assertThat(changes.get(3).at("/detail/new").isNull()).isTrue();
        assertThat(Cli.run("audit", "verify", "--data-dir", d).code()).isZero();
    }
}
