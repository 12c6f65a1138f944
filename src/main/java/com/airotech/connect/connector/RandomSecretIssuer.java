package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.secret.Sealer;
import java.util.Base64;

/**
 * Credentials that are 256 random bits: {@code hmac} (a Standard Webhooks secret, sealed because
 * verification needs it), and {@code api_key}, {@code basic}, {@code oauth2} (stored only as SHA-256).
 */
public final class RandomSecretIssuer implements CredentialIssuer {
    private final AuthMethod method;
    private final Sealer sealer;

    public RandomSecretIssuer(AuthMethod method, Sealer sealer) {
        if (method != AuthMethod.HMAC && method != AuthMethod.API_KEY && method != AuthMethod.BASIC && method != AuthMethod.OAUTH2) {
            throw new IllegalArgumentException("not a random-secret method: " + method);
        }
        this.method = method;
        this.sealer = sealer;
    }

    @Override public AuthMethod method() { return method; }

    @Override
    public IssuedCredential issue(CredentialOwner owner, CredentialOptions options) {
        if (options.publicKeyPem() != null || options.csrPem() != null) {
            throw ApiException.invalidRequest("Fields 'public_key_pem' and 'csr_pem' apply only to rsa and mtls connectors.");
        }
        byte[] raw = Crypto.randomBytes(32);
        String value = switch (method) {
            case HMAC -> "whsec_" + Base64.getEncoder().encodeToString(raw);
            case API_KEY -> "ak_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            case OAUTH2 -> "cs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        };
        Secret credential = Secret.ofUtf8(value);
        String sha = Crypto.sha256Hex(value);
        StoredCredential stored = method == AuthMethod.HMAC
                ? new StoredCredential(sha, sealer.seal(raw, owner.associatedData()), null, null, null)
                : StoredCredential.hashOnly(sha);
        java.util.Arrays.fill(raw, (byte) 0);
        return new IssuedCredential(stored, credential, sha, null, null);
    }
}
