package com.airotech.connect.secret;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key: 32 random bytes in {@code master.key} (0600), created on first start. It seals
 * every secret the platform must be able to read back (AES-256-GCM, with the owner bound as
 * associated data so a sealed value copied to another row fails to open).
 */
public final class MasterKey implements Sealer {
    static final String FILE = "master.key";
    private static final byte FORMAT = 1;
    private static final int NONCE = 12;

    private final SecretKeySpec key;

    MasterKey(byte[] key) {
        if (key.length != 32) throw new StorageException("The master key file must hold exactly 32 bytes; it is damaged. Restore it from backup.");
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the master key from the data directory, creating it on first start. */
    public static MasterKey loadOrCreate(DataDirectory dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                // two processes may start on a new directory at once: the lock makes one of them create the key
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(FILE + ".lock"),
                        java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE),
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(DataDirectory.FILE_MODE));
                     java.nio.channels.FileLock ignored = ch.lock()) {
                    if (!Files.exists(file)) DataDirectory.writeKeyFile(file, Crypto.randomBytes(32));
                }
            }
            DataDirectory.requireMode(file, DataDirectory.FILE_MODE, "chmod 600 " + file);
            return new MasterKey(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StorageException("Cannot read the master key " + file + " (" + e.getClass().getSimpleName()
                    + "). Check the data directory's owner and permissions.");
        }
    }

    @Override
    public byte[] seal(byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = Crypto.randomBytes(NONCE);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(FORMAT).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE + 16 || sealed[0] != FORMAT) {
            throw new SealedValueException("a sealed value is malformed");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, NONCE));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedValueException("a sealed value does not open with this key for this owner");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override public String toString() { return "MasterKey[***]"; }
}
