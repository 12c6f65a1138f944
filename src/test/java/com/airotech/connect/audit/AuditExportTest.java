package com.airotech.connect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditExportTest {
    private static AuditEntry entry(String actor, String target) {
        return new AuditEntry("au_1", Instant.parse("2026-11-22T10:00:00Z"), actor, "connector.registered", target,
                Json.object().put("system_name", "a,\"b\""));
    }

    @Test
    void csvQuotesCommasQuotesAndFormulas() throws Exception {
        StringWriter w = new StringWriter();
        try (AuditExport x = new AuditExport(w, AuditExport.Format.CSV)) {
            x.write(entry("=cmd()", null));
        }
        assertThat(w.toString()).isEqualTo("id,at,actor,action,target,detail,tenant_id,n,at_ms,prev_hash,hash,keyed,key_fingerprint\r\n"
                + "au_1,2026-11-22T10:00:00Z,\"'=cmd()\",connector.registered,,\"{\"\"system_name\"\":\"\"a,\\\"\"b\\\"\"\"\"}\",,,,,,,\r\n");
    }

    @Test
    void jsonIsAnArrayOfTheApiEntries() throws Exception {
        StringWriter w = new StringWriter();
        try (AuditExport x = new AuditExport(w, AuditExport.Format.JSON)) {
            x.write(entry("ops", "cn_1"));
            x.write(entry("ops", null));
        }
        var arr = Json.tree(w.toString().getBytes());
        assertThat(arr.size()).isEqualTo(2);
        assertThat(arr.get(0).get("target").asText()).isEqualTo("cn_1");
        assertThat(arr.get(1).get("target").isNull()).isTrue();
        assertThat(arr.get(0).get("detail").get("system_name").asText()).isEqualTo("a,\"b\"");
    }

    @Test
    void anEntryWithItsChainLinkCarriesWhatAnAuditorChecksItWith() throws Exception {
        AuditEntry e = new AuditEntry("au_2", Instant.parse("2026-11-22T10:00:00Z"), "ops", "connector.revoked", "cn_1", Json.object(),
                new AuditEntry.Chain("tn_1", 7, 1795341600000L, "{}", "a".repeat(64), "b".repeat(64), true));
        StringWriter csv = new StringWriter();
        try (AuditExport x = new AuditExport(csv, AuditExport.Format.CSV, "f".repeat(64))) {
            x.write(e);
        }
        assertThat(csv.toString()).endsWith(",tn_1,7,1795341600000," + "a".repeat(64) + "," + "b".repeat(64) + ",true," + "f".repeat(64) + "\r\n");
        StringWriter json = new StringWriter();
        try (AuditExport x = new AuditExport(json, AuditExport.Format.JSON, "f".repeat(64))) {
            x.write(e);
        }
        var chain = Json.tree(json.toString().getBytes()).get(0).get("chain");
        assertThat(chain.get("n").asLong()).isEqualTo(7);
        assertThat(chain.get("detail_text").asText()).isEqualTo("{}");
        assertThat(chain.get("key_fingerprint").asText()).isEqualTo("f".repeat(64));
    }

    @Test
    void anEmptyJsonExportIsAnEmptyArray() throws Exception {
        StringWriter w = new StringWriter();
        new AuditExport(w, AuditExport.Format.JSON).close();
        assertThat(Json.tree(w.toString().getBytes()).size()).isZero();
    }
}
