package com.airotech.connect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A site whose database is torn or whose keys were lost is refused at start, with what to do, and
 * nothing is written to it: not a word of warning and a silently written database, nor a new CA.
 */
class DamagedSiteTest {

    /** A site with a tenant, connectors and enough events to span many pages. */
    private static Path site(Path dir, int events) {
        try (Platform p = Platform.open(Config.defaults(dir))) {
            String tenant = p.tenants().create("acme", null, Principal.localActor()).tenant().tenantId();
            var c = p.connectors().register(Principal.local(tenant), new RegistrationRequest("bms", null, AuthMethod.API_KEY, null, 60, CredentialOptions.NONE));
            String connector = c.connector().connectorId();
            p.database().write(w -> {
                var ps = w.prepare("INSERT INTO events (tenant_id, connector_id, event_id, event_type, received_at, body) VALUES (?,?,?,?,?,?)");
                for (int i = 0; i < events; i++) {
                    ps.setString(1, tenant);
                    ps.setString(2, connector);
                    ps.setString(3, "ev-" + dir.getFileName() + "-" + i);
                    ps.setString(4, "temp_reading");
                    ps.setLong(5, 1_700_000_000_000L + i);
                    ps.setBytes(6, ("{\"event_type\":\"temp_reading\",\"data\":{\"value\":" + i + ",\"pad\":\"" + "x".repeat(300) + "\"}}").getBytes());
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return dir;
    }

    private static void checkpoint(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Test
    void aTornCopyOfARunningSitesDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path work = TempDirs.create("torn");
        Path live = site(work.resolve("live"), 2_000);
        Path db = live.resolve("airotech.db");
        checkpoint(db);
        byte[] before = Files.readAllBytes(db);
        // the site goes on writing (more events, a checkpoint rewriting pages all over the file) ...
        try (Platform p = Platform.open(Config.defaults(live))) {
            String tenant = p.tenants().list().get(0).tenantId();
            p.database().write(w -> {
                w.prepare("DELETE FROM events WHERE seq % 3 = 0").executeUpdate();
                var ps = w.prepare("UPDATE events SET body = ? || body WHERE tenant_id = ? AND seq % 3 = 1");
                ps.setBytes(1, "y".repeat(200).getBytes());
                ps.setString(2, tenant);
                ps.executeUpdate();
                return null;
            });
        }
        checkpoint(db);
        byte[] after = Files.readAllBytes(db);
        // ... while cp copied the file: its first half from before, its second half from after
        byte[] torn = Arrays.copyOf(after, after.length);
        int half = (after.length / 2 / 4096) * 4096;
        System.arraycopy(before, half, torn, half, Math.min(before.length, after.length) - half);
        Path copy = Files.createDirectories(work.resolve("copy"));
        for (String f : new String[] {"master.key", "ca.pem", "ca-key.sealed", "oauth-signing-keys.json"}) {
            Files.copy(live.resolve(f), copy.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.write(copy.resolve("airotech.db"), torn);
        java.nio.file.Files.setPosixFilePermissions(copy, DataDirectory.DIR_MODE);
        java.nio.file.Files.setPosixFilePermissions(copy.resolve("airotech.db"), DataDirectory.FILE_MODE);
        // the copy is truly torn: SQLite's own full check on a byte copy of it fails
        Files.write(work.resolve("probe.db"), torn);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("probe.db"))) {
            assertThat(IntegrityCheck.run(c, "integrity_check", null).ok()).isFalse();
        }

        assertThatThrownBy(() -> Platform.open(Config.defaults(copy)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is damaged")
                .hasMessageContaining("airotech-connect restore --from FILE --data-dir NEW_DIR");
        assertThat(Files.readAllBytes(copy.resolve("airotech.db"))).as("nothing written to the damaged database").isEqualTo(torn);
    }

    @Test
    void aSoundDatabaseIsCheckedAndOpens() throws Exception {
        Path dir = site(TempDirs.create("sound").resolve("data"), 200);
        try (Platform p = Platform.open(Config.defaults(dir))) {
            assertThat(p.tenants().list()).hasSize(1);
        }
    }

    @Test
    void aCheckThatRunsOutOfTimeIsCutShortNotTakenForDamage() throws Exception {
        Path dir = site(TempDirs.create("budget").resolve("data"), 2_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("airotech.db"))) {
            IntegrityCheck.Result cut = IntegrityCheck.run(c, "quick_check", java.time.Duration.ZERO);
            assertThat(cut.cutShort()).isTrue();
            assertThat(cut.problems()).isEmpty();
            IntegrityCheck.Result whole = IntegrityCheck.run(c, "quick_check", null);
            assertThat(whole.ok()).isTrue();
            assertThat(whole.cutShort()).isFalse();
        }
    }

    @Test
    void aMissingCaBesideADatabaseIsRefusedNeverMadeAnew() throws Exception {
        Path dir = site(TempDirs.create("noca").resolve("data"), 1);
        Files.delete(dir.resolve("ca-key.sealed"));
        assertThatThrownBy(() -> Platform.open(Config.defaults(dir))).isInstanceOf(StorageException.class)
                .hasMessageContaining("ca-key.sealed").hasMessageContaining("is missing").hasMessageContaining("Restore them");
        assertThat(dir.resolve("ca-key.sealed")).doesNotExist();
        Files.delete(dir.resolve("ca.pem"));
        assertThatThrownBy(() -> Platform.open(Config.defaults(dir))).hasMessageContaining("ca.pem and ca-key.sealed");
        assertThat(dir.resolve("ca.pem")).doesNotExist();
    }

    @Test
    void missingTokenSigningKeysBesideADatabaseAreRefusedNeverMadeAnew() throws Exception {
        Path dir = site(TempDirs.create("nokeys").resolve("data"), 1);
        Files.delete(dir.resolve("oauth-signing-keys.json"));
        assertThatThrownBy(() -> Platform.open(Config.defaults(dir))).isInstanceOf(StorageException.class)
                .hasMessageContaining("oauth-signing-keys.json").hasMessageContaining("Restore them");
        assertThat(dir.resolve("oauth-signing-keys.json")).doesNotExist();
    }

    @Test
    void aNewSiteStillGetsItsCaAndKeysBeforeItsDatabase() {
        Path dir = TempDirs.create("fresh").resolve("data");
        try (Platform p = Platform.open(Config.defaults(dir))) {
            assertThat(dir.resolve("ca.pem")).exists();
            assertThat(dir.resolve("oauth-signing-keys.json")).exists();
            assertThat(p.database().file()).exists();
        }
    }
}
