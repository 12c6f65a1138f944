package com.airotech.connect.delivery;

import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.secret.Sealer;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * A subscription's Standard Webhooks signing secrets: {@code whsec_} + base64 of 32 random bytes,
 * shown once, kept sealed by the master key (like an hmac connector's credential) with tenant,
 * subscription and secret bound as associated data, so a sealed value copied to another row opens
 * nowhere. Signing uses {@link StandardWebhooks}, the same code that verifies inbound signatures.
 */
public final class SigningSecrets {
    private SigningSecrets() {}

    /** A new secret: its id, the secret itself (for the creator, once), its SHA-256 and its sealed form. */
    public record Issued(String secretId, Secret secret, String sha256, byte[] sealed) {
        @Override public String toString() { return "Issued[" + secretId + ", ***]"; }
    }

    public static Issued issue(Sealer sealer, String tenantId, String subscriptionId) {
        String secretId = Crypto.newId("ss");
        byte[] raw = Crypto.randomBytes(32);
        String value = "whsec_" + Base64.getEncoder().encodeToString(raw);
        byte[] sealed = sealer.seal(raw, associatedData(tenantId, subscriptionId, secretId));
        java.util.Arrays.fill(raw, (byte) 0);
        return new Issued(secretId, Secret.ofUtf8(value), Crypto.sha256Hex(value), sealed);
    }

    /** The key bytes of a sealed secret. */
    static Secret open(Sealer sealer, String tenantId, String subscriptionId, String secretId, byte[] sealed) {
        return Secret.wrap(sealer.open(sealed, associatedData(tenantId, subscriptionId, secretId)));
    }

    public static String associatedData(String tenantId, String subscriptionId, String secretId) {
        return "subscription-signing-secret\n" + tenantId + "\n" + subscriptionId + "\n" + secretId;
    }

    /** The {@code webhook-signature} header: one {@code v1,<base64>} entry per key, space-separated; null without keys. */
    static String signature(List<Secret> keys, String id, long timestamp, byte[] body) {
        if (keys.isEmpty()) return null;
        byte[] content = StandardWebhooks.signedContent(id, timestamp, body);
        StringJoiner out = new StringJoiner(" ");
        for (Secret k : keys) {
            byte[] key = k.bytes();
            try {
                out.add("v1," + Base64.getEncoder().encodeToString(StandardWebhooks.hmac(key, content)));
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
        return out.toString();
    }
}
