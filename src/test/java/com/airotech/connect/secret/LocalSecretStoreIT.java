package com.airotech.connect.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Secret;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Envelope encryption in a real SQLite database. */
class LocalSecretStoreIT {
    @Test
    void materialIsSealedUnderTheTenantDataKeyAndBoundToItsConnectionAndVersion() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        try (Platform p = Platform.open(Config.defaults(dir))) {
            String tenant = p.tenants().create("envelope", null, "test").tenant().tenantId();
            Principal op = Principal.local(tenant);
            String a = p.connections().create(op, new NewConnection("a", ConnectionKind.API_KEY, "http://127.0.0.1:9", null, "/")).connection().connectionId();
            String b = p.connections().create(op, new NewConnection("b", ConnectionKind.API_KEY, "http://127.0.0.1:9", null, "/")).connection().connectionId();
            LocalSecretStore store = new LocalSecretStore(p.database(), MasterKey.loadOrCreate(DataDirectory.open(dir)), Clock.systemUTC());
            String material = "{\"api_key\":\"material-" + UUID.randomUUID() + "\"}";
            SecretRef refA1 = new SecretRef(tenant, a, 1);
            store.put(refA1, Secret.ofUtf8(material));
            assertThat(store.get(refA1).utf8()).isEqualTo(material);

            byte[] sealed = p.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT sealed FROM connection_secrets")) {
                    rs.next();
                    return rs.getBytes(1);
                }
            });
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("material-");
            // the same sealed bytes moved to another connection, or to another version, do not open
            p.database().write(w -> {
                for (Object[] row : new Object[][] {{b, 1}, {a, 2}}) {
                    var ps = w.prepare("INSERT INTO connection_secrets (tenant_id, connection_id, version, sealed, created_at) VALUES (?,?,?,?,0)");
                    ps.setString(1, tenant);
                    ps.setString(2, (String) row[0]);
                    ps.setInt(3, (Integer) row[1]);
                    ps.setBytes(4, sealed);
                    ps.executeUpdate();
                }
                return null;
            });
            assertThatThrownBy(() -> store.get(new SecretRef(tenant, b, 1))).isInstanceOf(SecretStoreException.class).hasMessageContaining("does not open");
            assertThatThrownBy(() -> store.get(new SecretRef(tenant, a, 2))).isInstanceOf(SecretStoreException.class);

            byte[] wrapped = p.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT wrapped_key, master_key_id FROM tenant_data_keys")) {
                    rs.next();
                    assertThat(rs.getString(2)).isEqualTo(MasterKey.keyIdOf(rs.getBytes(1)));
                    return rs.getBytes(1);
                }
            });
            assertThat(MasterKey.keyIdOf(wrapped)).isEqualTo(MasterKey.idOf(Files.readAllBytes(dir.resolve("master.key"))));
        }
    }

    @Test
    void anotherMasterKeyCannotOpenTheDataKeyAndSaysWhatToDo() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        String tenant;
        try (Platform p = Platform.open(Config.defaults(dir))) {
            tenant = p.tenants().create("lost-key", null, "test").tenant().tenantId();
            String id = p.connections().create(Principal.local(tenant), new NewConnection("a", ConnectionKind.API_KEY, "http://127.0.0.1:9", null, "/"))
                    .connection().connectionId();
            new LocalSecretStore(p.database(), MasterKey.loadOrCreate(DataDirectory.open(dir)), Clock.systemUTC())
                    .put(new SecretRef(tenant, id, 1), Secret.ofUtf8("{\"api_key\":\"x-123\"}"));
        }
        DataDirectory.writeKeyFile(dir.resolve("master.key"), com.airotech.connect.common.Crypto.randomBytes(32));
        // the whole program refuses to start, naming what to restore (the CA key is the first thing it opens)
        assertThatThrownBy(() -> Platform.open(Config.defaults(dir))).isInstanceOf(com.airotech.connect.store.StorageException.class)
                .hasMessageContaining("master.key");
        // and the secret store on its own says the same for the data key
        try (com.airotech.connect.store.Database db = com.airotech.connect.store.Database.open(dir.resolve("airotech.db"))) {
            LocalSecretStore store = new LocalSecretStore(db, MasterKey.loadOrCreate(DataDirectory.open(dir)), Clock.systemUTC());
            String id = db.read(c -> {
                try (var ps = c.prepareStatement("SELECT connection_id FROM connections WHERE tenant_id = ?")) {
                    ps.setString(1, tenant);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertThatThrownBy(() -> store.get(new SecretRef(tenant, id, 1))).isInstanceOf(SecretStoreException.class)
                    .hasMessageContaining("Restore master.key");
        }
    }
}
