package com.airotech.connect.audit;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit chain's key: 32 random bytes, made once per database, kept in {@code audit_keys}
 * sealed by the master key (so a backup of the database carries it and {@code keys rotate}
 * re-seals it), held in memory as a {@link Secret}. Without it nobody can write a chain that
 * verifies, even with write access to the database. Its fingerprint (the SHA-256 of the key) names
 * it in {@code audit verify} and exports, and lets an auditor check that the key they were handed
 * is the one the chain was written with.
 */
public final class AuditKey {
    static final String KEY_ID = "audit-chain-1";
    private final Secret key;
    private final String fingerprint;

    private AuditKey(byte[] raw) {
        this.fingerprint = Crypto.hex(Crypto.sha256(raw));
        this.key = Secret.wrap(raw);
    }

    /** What the sealed key is bound to: its id and creation time (a sealed value moved to another row does not open). */
    public static String associatedData(String keyId, String createdAt) { return "audit-chain-key\n" + keyId + "\n" + createdAt; }

    /** The database's key, opened with the master key; made (and sealed) on first use. */
    public static AuditKey loadOrCreate(Database db, Sealer masterKey, Clock clock) {
        AuditKey found = load(db, masterKey);
        if (found != null) return found;
        byte[] raw = Crypto.randomBytes(32);
        long now = clock.millis();
        byte[] sealed = masterKey.seal(raw, associatedData(KEY_ID, Long.toString(now)));
        java.util.Arrays.fill(raw, (byte) 0);
        db.write(w -> {
            // two processes may start at once: the first row wins, and both read it back
            PreparedStatement ps = w.prepare("INSERT OR IGNORE INTO audit_keys (key_id, created_at, sealed_key) VALUES (?,?,?)");
            ps.setString(1, KEY_ID);
            ps.setLong(2, now);
            ps.setBytes(3, sealed);
            ps.executeUpdate();
            return null;
        });
        return load(db, masterKey);
    }

    private static AuditKey load(Database db, Sealer masterKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at, sealed_key FROM audit_keys WHERE key_id = ?")) {
                ps.setString(1, KEY_ID);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;
                    return new AuditKey(masterKey.open(rs.getBytes(2), associatedData(KEY_ID, Long.toString(rs.getLong(1)))));
                }
            }
        });
    }

    /** An AuditKey from raw bytes an auditor was handed (offline verification). */
    public static AuditKey of(byte[] raw) { return new AuditKey(raw.clone()); }

    /** The lowercase hex SHA-256 of the key: names it without revealing it. */
    public String fingerprint() { return fingerprint; }

    /** Lowercase hex HMAC-SHA256 of {@code text} under the key. */
    public String mac(String text) {
        byte[] k = key.bytes();
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(k, "HmacSHA256"));
            return Crypto.hex(m.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** The key itself, for the operator to hand to an auditor ({@code audit key --output}). */
    public Secret material() { return Secret.wrap(key.bytes()); }

    @Override public String toString() { return "AuditKey[" + fingerprint.substring(0, 16) + "…]"; }
}
