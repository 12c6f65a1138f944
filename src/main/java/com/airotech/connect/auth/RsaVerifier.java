package com.airotech.connect.auth;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.List;

/**
 * {@code rsa}: Standard Webhooks headers with {@code v1r} entries, RSASSA-PKCS1-v1_5 with SHA-256
 * over {@code id.timestamp.body}, verified with the connector's public keys (current, and the
 * previous one inside its rotation grace). Timestamp window and replay rules are those of hmac.
 */
public final class RsaVerifier implements InboundVerifier {
    public static final String VERSION = "v1r";

    @Override public AuthMethod method() { return AuthMethod.RSA; }

    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        StandardWebhooks.Headers h = StandardWebhooks.parse(r, now);
        if (h.versions(VERSION).isEmpty()) throw StandardWebhooks.signatureInvalid("Header webhook-signature has no v1r entry; rsa connectors sign with v1r,<base64>.");
        return HeaderResult.needsBody((body, at) -> {
            CredentialState c = connector.match(cs -> cs.publicKey() != null && verify(cs.publicKey(), h, body), at);
            if (c == null) throw StandardWebhooks.signatureInvalid("No v1r entry of webhook-signature verifies with this connector's public key.");
            return new Verified(c.credentialId(), h.id(), h.timestamp());
        });
    }

    /** True when one of the {@code v1r} signatures verifies over the signed content with {@code key}. */
    public static boolean verify(PublicKey key, StandardWebhooks.Headers h, byte[] body) {
        List<byte[]> candidates = h.versions(VERSION);
        byte[] content = StandardWebhooks.signedContent(h.id(), h.timestamp(), body);
        for (byte[] sig : candidates) {
            try {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initVerify(key);
                s.update(content);
                if (s.verify(sig)) return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                // a malformed signature is just one that does not verify
            }
        }
        return false;
    }
}
