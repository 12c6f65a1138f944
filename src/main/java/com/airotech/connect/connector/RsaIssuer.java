package com.airotech.connect.connector;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.pki.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/**
 * {@code rsa}: the connector signs with its private key ({@code v1r}); the platform keeps only the
 * public key. Given {@code public_key_pem} (RSA, 2048 bits or more) is used as it is; without one
 * a 3072-bit pair is generated and the private key is shown once as {@code private_key_pem}.
 * {@code credential_sha256} is the SHA-256 of the public key's DER (SubjectPublicKeyInfo), the
 * fingerprint {@code openssl pkey -pubin -outform DER | sha256sum} prints.
 */
public final class RsaIssuer implements CredentialIssuer {
    private static final int GENERATED_BITS = 3072;

    @Override public AuthMethod method() { return AuthMethod.RSA; }

    @Override
    public IssuedCredential issue(CredentialOwner owner, CredentialOptions options) {
        if (options.csrPem() != null) throw ApiException.invalidRequest("Field 'csr_pem' applies only to mtls connectors.");
        RSAPublicKey pub;
        Map<String, Secret> shown = Map.of();
        if (options.publicKeyPem() != null) {
            pub = Pem.rsaPublicKey(options.publicKeyPem(), "public_key_pem");
        } else {
            KeyPair kp = generate();
            pub = (RSAPublicKey) kp.getPublic();
            shown = Map.of("private_key_pem", Secret.ofUtf8(Pem.privateKeyPkcs8(kp.getPrivate())));
        }
        String pem = Pem.write(pub);
        String fingerprint = Crypto.sha256Hex(pub.getEncoded());
        StoredCredential stored = new StoredCredential(fingerprint, null, pem, null, null);
        return new IssuedCredential(stored, null, fingerprint, shown, Map.of("public_key_pem", pem));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(GENERATED_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is unavailable", e);
        }
    }
}
