package com.airotech.connect.connector;

import java.time.Instant;

/** What the database keeps of a credential: a hash, a sealed secret, or public parts only. */
public record StoredCredential(String secretSha256, byte[] sealedSecret, String publicKeyPem, String certSha256, Instant certNotAfter) {
    public static StoredCredential hashOnly(String sha256) { return new StoredCredential(sha256, null, null, null, null); }

    @Override public String toString() {
        return "StoredCredential[hash=" + (secretSha256 != null) + ", sealed=" + (sealedSecret != null)
                + ", publicKey=" + (publicKeyPem != null) + ", cert=" + certSha256 + "]";
    }
}
