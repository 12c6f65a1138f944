package com.airotech.connect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.Main;
import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 11: the audit chain is keyed (HMAC-SHA256 under a key sealed by the master key), so
 * someone who can write the database but not read the master key cannot rewrite and re-hash it.
 */
class KeyedAuditChainIT {
    private Path dir;
    private String tenantId;

    @BeforeEach
    void writeATrail() {
        dir = TestGateway.tempDir().resolve("data");
        try (Platform p = Platform.open(Config.defaults(dir).withPorts(0, -1))) {
            CreatedTenant t = p.tenants().create("acme", "ops@acme", "test");
            tenantId = t.tenant().tenantId();
            Principal who = new Principal(tenantId, "ops@acme");
            for (int i = 0; i < 3; i++) p.connectors().register(who, new RegistrationRequest("sys-" + i, null, AuthMethod.API_KEY, null, 60, null));
        }
    }

    interface Sql { void run(Connection c) throws Exception; }

    private void sql(Sql s) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("airotech.db"))) {
            s.run(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(int exit, String out, String err) {
        JsonNode json() { return Json.tree(out.getBytes(StandardCharsets.UTF_8)); }
    }

    private static Run main(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    private Run verify() { return main("audit", "verify", "--data-dir", dir.toString()); }

    /** What someone with write access to the database but not the master key can do: change an entry and re-hash the chain from it on. */
    private void rewriteAndRehash(String tenant, long fromN, String newDetail) {
        sql(c -> {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n, entry_id, at, actor, action, target, detail FROM audit WHERE tenant_id = ? ORDER BY n")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
            String prev = "0".repeat(64);
            for (Object[] r : rows) {
                long n = (Long) r[0];
                if (n < fromN) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit WHERE tenant_id = ? AND n = ?")) {
                        ps.setString(1, tenant);
                        ps.setLong(2, n);
                        try (ResultSet rs = ps.executeQuery()) { rs.next(); prev = rs.getString(1); }
                    }
                    continue;
                }
                String detail = n == fromN && newDetail != null ? newDetail : (String) r[6];
                String canonical = Json.write(Json.MAPPER.createArrayNode().add(tenant).add(n).add((String) r[1]).add((Long) r[2]).add((String) r[3])
                        .add((String) r[4]).add((String) r[5]).add(detail));
                String hash = Crypto.sha256Hex(prev + "\n" + canonical);
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE tenant_id = ? AND n = ?")) {
                    ps.setString(1, detail);
                    ps.setString(2, prev);
                    ps.setString(3, hash);
                    ps.setString(4, tenant);
                    ps.setLong(5, n);
                    ps.executeUpdate();
                }
                prev = hash;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_heads SET hash = ? WHERE tenant_id = ?")) {
                ps.setString(1, prev);
                ps.setString(2, tenant);
                ps.executeUpdate();
            }
        });
    }

    private String keyHex() throws Exception {
        Path file = TestGateway.tempDir().resolve("audit-key.hex");
        Run r = main("audit", "key", "--output", file.toString(), "--data-dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain(Files.readString(file).strip());
        return Files.readString(file).strip();
    }

    @Test
    void verifySaysTheChainIsKeyedAndGivesTheKeysFingerprint() throws Exception {
        Run r = verify();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("intact").asBoolean()).isTrue();
        assertThat(r.json().get("keyed").asBoolean()).isTrue();
        String key = keyHex();
        assertThat(r.json().get("key_fingerprint").asText()).isEqualTo(Crypto.hex(Crypto.sha256(Crypto.unhex(key))));
        assertThat(r.json().get("unkeyed_before")).isEmpty();
        assertThat(Files.getPosixFilePermissions(dir.resolve("audit-key.sha256"))).containsOnly(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anEntryRewrittenAndTheChainRehashedWithoutTheKeyIsCaught() {
        rewriteAndRehash(tenantId, 2, "{\"system_name\":\"forged\"}");
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("audit chain broken").contains("#2");
    }

    @Test
    void aChainMadeBeforeKeyingStillVerifiesAndContinuesKeyedFromAMarkedPoint() throws Exception {
        // turn the database into one of an older version: plain SHA-256 chains, no key, unsealed heads
        long before;
        sql(c -> {
            c.createStatement().executeUpdate("DELETE FROM audit_keys");
            c.createStatement().executeUpdate("UPDATE audit_heads SET keyed_from = NULL, head_mac = NULL");
        });
        Files.delete(dir.resolve("audit-key.sha256"));
        rewriteAndRehash(tenantId, 1, null);
        try (Platform p = Platform.open(Config.defaults(dir).withPorts(0, -1))) {
            before = p.audit().verify().entries();
            p.connectors().register(new Principal(tenantId, "ops@acme"), new RegistrationRequest("after-keying", null, AuthMethod.API_KEY, null, 60, null));
        }
        long tenantEntries = countEntries(tenantId);
        Run r = verify();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("keyed").asBoolean()).isTrue();
        JsonNode prefix = r.json().get("unkeyed_before");
        assertThat(prefix).hasSize(1);
        assertThat(prefix.get(0).get("tenant_id").asText()).isEqualTo(tenantId);
        long keyedFrom = prefix.get(0).get("keyed_from").asLong();
        assertThat(keyedFrom).isEqualTo(tenantEntries); // the one entry written after reopening is the first keyed one
        assertThat(r.err()).contains("entries #1-#" + (keyedFrom - 1) + " were written before the chain was keyed").contains("keyed from #" + keyedFrom);
        assertThat(before).isPositive();

        // the keyed part cannot be re-hashed without the key, and the marked point cannot be moved
        rewriteAndRehash(tenantId, keyedFrom, "{\"system_name\":\"forged\"}");
        assertThat(verify().exit()).isEqualTo(1);
    }

    @Test
    void theMarkedPointCannotBeMovedToPassKeyedEntriesOffAsUnkeyed() {
        rewriteAndRehash(tenantId, 1, null);
        sql(c -> c.createStatement().executeUpdate("UPDATE audit_heads SET keyed_from = 1000"));
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("chain head was altered");
    }

    @Test
    void aReplacedKeyRowIsCaught() {
        // forge everything: a fresh key row is made on the next start, and every chain re-hashed as if older than the key
        sql(c -> {
            c.createStatement().executeUpdate("DELETE FROM audit_keys");
            c.createStatement().executeUpdate("UPDATE audit_heads SET keyed_from = NULL, head_mac = NULL");
        });
        rewriteAndRehash(tenantId, 1, "{\"system_name\":\"forged\"}");
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the key was replaced");
    }

    @Test
    void keysRotateReSealsTheAuditKeyAndTheChainStillVerifiesUnderTheSameFingerprint() {
        String fingerprint = verify().json().get("key_fingerprint").asText();
        byte[][] sealed = new byte[2][];
        sql(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT sealed_key FROM audit_keys")) { rs.next(); sealed[0] = rs.getBytes(1); }
        });
        Run rotated = main("keys", "rotate", "--data-dir", dir.toString());
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        sql(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT sealed_key FROM audit_keys")) { rs.next(); sealed[1] = rs.getBytes(1); }
        });
        assertThat(sealed[1]).isNotEqualTo(sealed[0]);
        Run r = verify();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("key_fingerprint").asText()).isEqualTo(fingerprint);
    }

    /** The way docs/audit.md gives an auditor: HMAC-SHA256 with the handed-over key over prev_hash, a newline and the canonical array. */
    @Test
    void anExportVerifiesOfflineWithTheKeyTheOperatorHandsOver() throws Exception {
        String keyHex = keyHex();
        StringWriter w = new StringWriter();
        try (Platform p = Platform.open(Config.defaults(dir).withPorts(0, -1));
             AuditExport x = new AuditExport(w, AuditExport.Format.JSON, p.audit().keyFingerprint())) {
            for (AuditEntry e : p.audit().page(tenantId, new AuditQuery(null, null, null, null, null, null, 500, null)).entries()) x.write(e);
        }
        JsonNode entries = Json.tree(w.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(entries.size()).isEqualTo(4);
        byte[] key = Crypto.unhex(keyHex);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String prev = "0".repeat(64);
        for (JsonNode e : entries) {
            JsonNode ch = e.get("chain");
            assertThat(ch.get("key_fingerprint").asText()).isEqualTo(Crypto.hex(Crypto.sha256(key)));
            assertThat(ch.get("prev_hash").asText()).isEqualTo(prev);
            String canonical = Json.write(Json.MAPPER.createArrayNode().add(ch.get("tenant_id").asText()).add(ch.get("n").asLong()).add(e.get("id").asText())
                    .add(ch.get("at_ms").asLong()).add(e.get("actor").asText()).add(e.get("action").asText())
                    .add(e.get("target").isNull() ? null : e.get("target").asText()).add(ch.get("detail_text").asText()));
            String expected = Crypto.hex(mac.doFinal((prev + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));
            assertThat(ch.get("hash").asText()).as(e.get("id").asText()).isEqualTo(expected);
            prev = expected;
        }
        // and the export says nothing an auditor could verify with: the key is not in it
        assertThat(w.toString()).doesNotContain(keyHex);
    }

    private long countEntries(String tenant) {
        long[] n = new long[1];
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit WHERE tenant_id = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) { rs.next(); n[0] = rs.getLong(1); }
            }
        });
        return n[0];
    }
}
