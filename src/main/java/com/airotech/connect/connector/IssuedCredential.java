package com.airotech.connect.connector;

import com.airotech.connect.common.Secret;
import java.util.Map;

/**
 * A freshly issued credential: what is stored, and what is shown once to whoever registered or
 * rotated the connector. {@code shown} maps response field names to secret values (the credential
 * itself, a private key, a PKCS#12 bundle and its password); {@code published} maps field names to
 * public values (a client certificate). {@code credentialSha256} is the SHA-256 of the shown
 * credential (or of the public key when there is nothing secret).
 */
public record IssuedCredential(StoredCredential stored, Secret credential, String credentialSha256,
                               Map<String, Secret> shown, Map<String, String> published) {
    public IssuedCredential {
        shown = shown == null ? Map.of() : Map.copyOf(shown);
        published = published == null ? Map.of() : Map.copyOf(published);
    }
}
