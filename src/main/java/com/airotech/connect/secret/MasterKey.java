package com.airotech.connect.secret;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key: 32 random bytes in {@code master.key} (0600), created on first start. It seals
 * every secret the platform must be able to read back (AES-256-GCM, with the owner bound as
 * associated data so a sealed value copied to another row fails to open), above all the tenants'
 * data keys of the local secret store.
 *
 * <p>A sealed value names the key that sealed it (a key id: a fingerprint, not the key). While a
 * {@code keys rotate} runs, or after one was killed midway, {@code master.key.next} and
 * {@code master.key.prev} may sit beside {@code master.key}; every present file is loaded, so the
 * old or the new key opens each value whatever moment the rotation stopped at. New values are
 * always sealed under {@code master.key}; a change of that file by another process (the command
 * line rotating beside a running gateway) is noticed before the next seal.
 */
public final class MasterKey implements Sealer {
    static final String FILE = "master.key";
    static final String NEXT = "master.key.next";
    static final String PREV = "master.key.prev";
    static final String LOCK = "master.key.lock";
    private static final byte FORMAT_LEGACY = 1;
    private static final byte FORMAT_KEYED = 2;
    private static final int ID_BYTES = 8;
    private static final int NONCE = 12;

    /** The keys this process knows, by id, and which one seals. */
    private record Ring(Map<String, SecretKeySpec> keys, String currentId, Object stamp) {}

    private final DataDirectory dir;
    private volatile Ring ring;

    MasterKey(byte[] key) {
        this.dir = null;
        this.ring = ringOf(key, Map.of(), null);
    }

    private MasterKey(DataDirectory dir) {
        this.dir = dir;
        this.ring = load(dir);
    }

    /** Loads the master key from the data directory, creating it on first start. */
    public static MasterKey loadOrCreate(DataDirectory dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                // two processes may start on a new directory at once: the lock makes one of them create the key
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(LOCK),
                        java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE),
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(DataDirectory.FILE_MODE));
                     java.nio.channels.FileLock ignored = ch.lock()) {
                    if (!Files.exists(file)) {
                        refuseWhenSealedDataExists(dir, file);
                        DataDirectory.writeKeyFile(file, Crypto.randomBytes(32));
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot create the master key " + file + " (" + e.getClass().getSimpleName()
                    + "). Check the data directory's owner and permissions.");
        }
        return new MasterKey(dir);
    }

    /**
     * The key is made before anything it seals, so a directory that holds sealed data but no key
     * has lost it (a partial restore, a deleted file). A new key would open none of that data and
     * would hide the loss: refuse, and say what to restore.
     */
    private static void refuseWhenSealedDataExists(DataDirectory dir, Path file) {
        List<String> sealed = new java.util.ArrayList<>();
        for (String name : new String[] {"airotech.db", "ca-key.sealed", "oauth-signing-keys.json"}) {
            if (Files.exists(dir.resolve(name))) sealed.add(name);
        }
        if (!sealed.isEmpty()) {
            throw new StorageException("The master key " + file + " is missing, but this data directory holds " + String.join(", ", sealed)
                    + ", sealed with it. Restore master.key from the same backup as those files; a new key could open none of them."
                    + " (To start an empty site instead, use another --data-dir.)");
        }
    }

    /** The id of the key that seals new values. */
    public String currentKeyId() {
        refreshIfChanged();
        return ring.currentId();
    }

    /** The id of the key that sealed a value, or null for a value of the first format (which names none). */
    public static String keyIdOf(byte[] sealed) {
        if (sealed == null || sealed.length < 1 + ID_BYTES || sealed[0] != FORMAT_KEYED) return null;
        return Crypto.hex(Arrays.copyOfRange(sealed, 1, 1 + ID_BYTES));
    }

    /** The id of a key: a domain-separated SHA-256 fingerprint, safe to store and print. */
    static String idOf(byte[] key) {
        byte[] label = "airotech-master-key-id".getBytes(StandardCharsets.US_ASCII);
        byte[] in = new byte[label.length + key.length];
        System.arraycopy(label, 0, in, 0, label.length);
        System.arraycopy(key, 0, in, label.length, key.length);
        return Crypto.hex(Arrays.copyOf(Crypto.sha256(in), ID_BYTES));
    }

    @Override
    public byte[] seal(byte[] plaintext, String associatedData) {
        refreshIfChanged();
        Ring r = ring;
        try {
            byte[] nonce = Crypto.randomBytes(NONCE);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, r.keys().get(r.currentId()), new GCMParameterSpec(128, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + ID_BYTES + NONCE + ct.length).put(FORMAT_KEYED).put(Crypto.unhex(r.currentId()))
                    .put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE + 16) throw new SealedValueException("a sealed value is malformed");
        if (sealed[0] == FORMAT_LEGACY) {
            // the first format names no key: any key this directory holds may have sealed it
            for (SecretKeySpec k : ring.keys().values()) {
                try {
                    return decrypt(k, sealed, 1, associatedData);
                } catch (SealedValueException e) {
                    // try the next key
                }
            }
            throw new SealedValueException("a sealed value does not open with this key for this owner");
        }
        if (sealed[0] != FORMAT_KEYED || sealed.length < 1 + ID_BYTES + NONCE + 16) throw new SealedValueException("a sealed value is malformed");
        String id = keyIdOf(sealed);
        SecretKeySpec k = ring.keys().get(id);
        if (k == null && dir != null) {
            // sealed by a key another process created since this one loaded its keys
            reload();
            k = ring.keys().get(id);
        }
        if (k == null) throw new SealedValueException("a sealed value names master key " + id + ", which this data directory does not hold");
        return decrypt(k, sealed, 1 + ID_BYTES, associatedData);
    }

    private static byte[] decrypt(SecretKeySpec key, byte[] sealed, int nonceAt, String associatedData) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, nonceAt, NONCE));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, nonceAt + NONCE, sealed.length - nonceAt - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedValueException("a sealed value does not open with this key for this owner");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** True when a sealed value is not under the current key (it needs re-sealing by a rotation). */
    public boolean needsReseal(byte[] sealed) {
        return !Objects.equals(keyIdOf(sealed), ring.currentId());
    }

    // ------------------------------------------------------------------ files

    DataDirectory directory() { return dir; }

    /** Re-reads every key file (after a rotation step, or when a value names an unknown key). */
    synchronized void reload() {
        if (dir != null) ring = load(dir);
    }

    private void refreshIfChanged() {
        if (dir == null) return;
        Object now = stamp(dir.resolve(FILE));
        if (!Objects.equals(now, ring.stamp())) reload();
    }

    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() + "/" + a.lastModifiedTime().toMillis() + "/" + a.size();
        } catch (IOException e) {
            return null;
        }
    }

    private static Ring load(DataDirectory dir) {
        Path file = dir.resolve(FILE);
        byte[] current = readKey(file);
        Map<String, SecretKeySpec> others = new LinkedHashMap<>();
        for (String name : new String[] {PREV, NEXT}) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                byte[] k = readKeyIfWhole(p);
                if (k != null) others.put(idOf(k), new SecretKeySpec(k, "AES"));
            }
        }
        return ringOf(current, others, stamp(file));
    }

    private static Ring ringOf(byte[] current, Map<String, SecretKeySpec> others, Object stamp) {
        if (current.length != 32) throw new StorageException("The master key file must hold exactly 32 bytes; it is damaged. Restore it from backup.");
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String id = idOf(current);
        keys.put(id, new SecretKeySpec(current, "AES"));
        others.forEach(keys::putIfAbsent);
        return new Ring(Map.copyOf(keys), id, stamp);
    }

    static byte[] readKey(Path file) {
        try {
            DataDirectory.requireMode(file, DataDirectory.FILE_MODE, "chmod 600 " + file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("Cannot read the master key " + file + " (" + e.getClass().getSimpleName()
                    + "). Check the data directory's owner and permissions.");
        }
    }

    /** A side key file (next/prev) is written atomically; one of another length is not a key and is ignored. */
    private static byte[] readKeyIfWhole(Path file) {
        byte[] k = readKey(file);
        return k.length == 32 ? k : null;
    }

    @Override public String toString() { return "MasterKey[***]"; }
}
