package com.airotech.connect.connector;

import com.airotech.connect.common.Secret;
import java.security.PublicKey;
import java.time.Instant;

/**
 * One credential as verification sees it: the hash, the opened HMAC key, the RSA public key or
 * the bound certificate's fingerprint, and when it stops being accepted (null while current).
 */
public record CredentialState(String credentialId, String secretSha256, Secret hmacKey, PublicKey publicKey,
                              String certSha256, Instant certNotAfter, Instant validUntil) {
    public boolean validAt(Instant now) { return validUntil == null || now.isBefore(validUntil); }

    @Override public String toString() { return "CredentialState[" + credentialId + ", validUntil=" + validUntil + "]"; }
}
