package com.airotech.connect.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.CredentialOwner;
import com.airotech.connect.secret.MasterKey;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.testing.GatewayProcess;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.SixMethods;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upgrade a {@code .deb} performs: the packaged program of this build starts on a data directory
 * written by the previous release (a fixture made by commit 0a9cba9, schema 3: two tenants, one
 * connector of every method, events, an audit trail). It backs the site up first, migrates it, and
 * every credential keeps working: the old HMAC secret, unsealed here with the fixture's own key (no
 * credential is committed in clear), and every method after a rotation by the command line.
 */
class UpgradeFromPreviousReleaseIT {
    private static final String FIXTURE = "src/test/resources/upgrade/schema3";

    /** The fixture as a data directory: git keeps no modes, a site's are 0700 and 0600. */
    private static Path fixtureCopy() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, DataDirectory.DIR_MODE);
        try (var files = Files.list(Path.of(FIXTURE))) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(f.getFileName().toString());
                Files.copy(f, to);
                Files.setPosixFilePermissions(to, DataDirectory.FILE_MODE);
            }
        }
        return dir;
    }

    private static JsonNode run(String... args) throws Exception {
        GatewayProcess.Result r = GatewayProcess.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
        return Json.tree(r.stdout());
    }

    @Test
    void theNewBuildBacksUpThenMigratesTheOldSiteAndEveryMethodStillWorks() throws Exception {
        Path dir = fixtureCopy();

        // the first command of the new version upgrades the site, and says where the backup is
        GatewayProcess.Result first = GatewayProcess.run("tenant", "list", "--data-dir", dir.toString());
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("Upgrading the database from schema 3");
        List<Path> backups;
        try (var s = Files.list(dir.resolve("backups"))) {
            backups = s.toList();
        }
        assertThat(backups).hasSize(1);
        BackupManifest m = new SiteBackup(Clock.systemUTC()).verify(backups.get(0));
        assertThat(m.schema()).isEqualTo(3);
        Path asItWas = TestGateway.tempDir().resolve("as-it-was");
        new SiteBackup(Clock.systemUTC()).restore(backups.get(0), asItWas, SiteBackup.Progress.NONE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + asItWas.resolve("airotech.db")); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(version), (SELECT count(*) FROM events) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(18);
        }
        String tenant = null;
        for (JsonNode t : Json.tree(first.stdout())) if (t.get("name").asText().equals("demo-building")) tenant = t.get("tenant_id").asText();
        assertThat(tenant).isNotNull();

        // a second start migrates nothing and takes no further backup
        run("tenant", "list", "--data-dir", dir.toString());
        try (var s = Files.list(dir.resolve("backups"))) {
            assertThat(s.count()).isEqualTo(1);
        }

        try (TestGateway g = TestGateway.start(new Config(dir, "127.0.0.1", 0, 0, List.of(), null, Config.DEFAULT_MAX_BODY, 8192, Clock.systemUTC()))) {
            JsonNode connectors = run("connectors", "list", "--tenant", tenant, "--data-dir", dir.toString());
            assertThat(connectors).hasSize(6);

            // the old HMAC secret, as the site gateway holds it: unsealed from the fixture with the fixture's key
            JsonNode hmac = null;
            for (JsonNode c : connectors) if (c.get("auth_method").asText().equals("hmac")) hmac = c;
            String whsec = unsealHmac(dir, tenant, hmac.get("connector_id").asText());
            byte[] body = Signer.event("temp_reading", null);
            assertThat(g.ingest(hmac.get("webhook_path").asText(), body, Signer.hmac(whsec, body)).status()).isEqualTo(202);

            // every method after the upgrade: rotated by the command line (another process), then used
            for (JsonNode c : connectors) {
                String method = c.get("auth_method").asText();
                JsonNode rotated = run("connectors", "rotate", "--tenant", tenant, c.get("connector_id").asText(), "--data-dir", dir.toString());
                assertThat(SixMethods.send(g, method, c, rotated)).as(method + " after the upgrade").isEqualTo(202);
            }
            // and the tenant's admin token (the old one was printed once, long ago: the operator issues a new one)
            JsonNode token = run("admin-token", "rotate", "--tenant", tenant, "--data-dir", dir.toString());
            assertThat(g.get(token.get("admin_token").asText(), "/api/connectors").status()).isEqualTo(200);
        }
        JsonNode verified = run("audit", "verify", "--data-dir", dir.toString());
        assertThat(verified.get("intact").asBoolean()).isTrue();
    }

    /** What the old HMAC connector's site gateway holds: its secret, opened with the fixture's master key. */
    private static String unsealHmac(Path dir, String tenant, String connector) throws Exception {
        MasterKey key = MasterKey.loadOrCreate(DataDirectory.open(dir));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("airotech.db"));
             var ps = c.prepareStatement("SELECT credential_id, sealed_secret, secret_sha256 FROM connector_credentials WHERE tenant_id = ? AND connector_id = ? ORDER BY created_at LIMIT 1")) {
            ps.setString(1, tenant);
            ps.setString(2, connector);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] raw = key.open(rs.getBytes(2), new CredentialOwner(tenant, connector, rs.getString(1)).associatedData());
                String whsec = "whsec_" + Base64.getEncoder().encodeToString(raw);
                assertThat(Crypto.sha256Hex(whsec)).as("the unsealed secret is the one registered").isEqualTo(rs.getString(3));
                return whsec;
            }
        }
    }
}
