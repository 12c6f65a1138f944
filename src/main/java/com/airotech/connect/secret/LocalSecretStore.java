package com.airotech.connect.secret;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.store.Database;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local secret store: envelope encryption in the database. Each tenant has a data key (32
 * random bytes) sealed by the master key; material is sealed with AES-256-GCM under the tenant's
 * data key with tenant, connection and version as associated data, so a sealed row copied to
 * another connection or version does not open. Rotating the master key re-wraps data keys only;
 * the material rows are never touched.
 */
public final class LocalSecretStore implements SecretStore {
    public static final String BACKEND = "local";
    private static final byte FORMAT = 1;
    private static final int NONCE = 12;

    private final Database db;
    private final MasterKey masterKey;
    private final Clock clock;
    private final ConcurrentHashMap<String, SecretKeySpec> dataKeys = new ConcurrentHashMap<>();

    public LocalSecretStore(Database db, MasterKey masterKey, Clock clock) {
        this.db = db;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    @Override public String backend() { return BACKEND; }

    static String dataKeyAssociatedData(String tenantId) { return "tenant-data-key\n" + tenantId; }

    @Override
    public void put(SecretRef ref, Secret material) {
        byte[] sealed = sealFor(ref.tenantId(), material.bytes(), ref.associatedData());
        long now = clock.millis();
        db.write(w -> {
            PreparedStatement ps = w.prepare("INSERT OR REPLACE INTO connection_secrets (tenant_id, connection_id, version, sealed, created_at) VALUES (?,?,?,?,?)");
            ps.setString(1, ref.tenantId());
            ps.setString(2, ref.connectionId());
            ps.setInt(3, ref.version());
            ps.setBytes(4, sealed);
            ps.setLong(5, now);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Secret get(SecretRef ref) {
        byte[] sealed = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM connection_secrets WHERE tenant_id = ? AND connection_id = ? AND version = ?")) {
                ps.setString(1, ref.tenantId());
                ps.setString(2, ref.connectionId());
                ps.setInt(3, ref.version());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        if (sealed == null) {
            throw new SecretStoreException("The local secret store has no material for connection " + ref.connectionId()
                    + " version " + ref.version() + ". Enter the credential again.");
        }
        try {
            return Secret.wrap(openFor(ref.tenantId(), sealed, ref.associatedData()));
        } catch (SealedValueException e) {
            throw new SecretStoreException("The stored material of connection " + ref.connectionId() + " does not open ("
                    + e.getMessage() + "). Restore master.key from backup or enter the credential again.");
        }
    }

    @Override
    public void commit(SecretRef ref, Integer previousVersion) {
        db.write(w -> {
            PreparedStatement ps = w.prepare("DELETE FROM connection_secrets WHERE tenant_id = ? AND connection_id = ? AND version < ?");
            ps.setString(1, ref.tenantId());
            ps.setString(2, ref.connectionId());
            ps.setInt(3, ref.version());
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public void discard(SecretRef ref) {
        db.write(w -> {
            PreparedStatement ps = w.prepare("DELETE FROM connection_secrets WHERE tenant_id = ? AND connection_id = ? AND version = ?");
            ps.setString(1, ref.tenantId());
            ps.setString(2, ref.connectionId());
            ps.setInt(3, ref.version());
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public void deleteAll(String tenantId, String connectionId) {
        db.write(w -> {
            PreparedStatement ps = w.prepare("DELETE FROM connection_secrets WHERE tenant_id = ? AND connection_id = ?");
            ps.setString(1, tenantId);
            ps.setString(2, connectionId);
            ps.executeUpdate();
            return null;
        });
    }

    // ------------------------------------------------------------------ sealing under a tenant's data key

    /** Seals bytes under the tenant's data key (material, and short-lived values such as PKCE verifiers). */
    public byte[] sealFor(String tenantId, byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = Crypto.randomBytes(NONCE);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, dataKey(tenantId), new GCMParameterSpec(128, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(FORMAT).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    public byte[] openFor(String tenantId, byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE + 16 || sealed[0] != FORMAT) throw new SealedValueException("a sealed value is malformed");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, dataKey(tenantId), new GCMParameterSpec(128, sealed, 1, NONCE));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedValueException("a sealed value does not open for this tenant, connection and version");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The tenant's data key, created (and wrapped by the master key) on first use. */
    private SecretKeySpec dataKey(String tenantId) {
        SecretKeySpec k = dataKeys.get(tenantId);
        if (k != null) return k;
        byte[] wrapped = readWrapped(tenantId);
        if (wrapped == null) {
            byte[] fresh = Crypto.randomBytes(32);
            byte[] sealed = masterKey.seal(fresh, dataKeyAssociatedData(tenantId));
            Arrays.fill(fresh, (byte) 0);
            String keyId = MasterKey.keyIdOf(sealed);
            long now = clock.millis();
            // another process may create it at the same moment: the first row wins and both read it back
            db.write(w -> {
                PreparedStatement ps = w.prepare("INSERT OR IGNORE INTO tenant_data_keys (tenant_id, master_key_id, wrapped_key, created_at) VALUES (?,?,?,?)");
                ps.setString(1, tenantId);
                ps.setString(2, keyId);
                ps.setBytes(3, sealed);
                ps.setLong(4, now);
                ps.executeUpdate();
                return null;
            });
            wrapped = readWrapped(tenantId);
        }
        byte[] raw;
        try {
            raw = masterKey.open(wrapped, dataKeyAssociatedData(tenantId));
        } catch (SealedValueException e) {
            throw new SecretStoreException("The data key of tenant " + tenantId + " does not open with this data directory's master key ("
                    + e.getMessage() + "). Restore master.key from the backup taken with the database.");
        }
        SecretKeySpec spec = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
        SecretKeySpec prior = dataKeys.putIfAbsent(tenantId, spec);
        return prior != null ? prior : spec;
    }

    private byte[] readWrapped(String tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM tenant_data_keys WHERE tenant_id = ?")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    @Override public String toString() { return "LocalSecretStore"; }
}
