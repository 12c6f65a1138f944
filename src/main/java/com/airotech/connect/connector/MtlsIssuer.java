package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.pki.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

/**
 * {@code mtls}: a client certificate from the local CA naming the tenant and the connector. Without
 * a CSR the platform makes the key too and hands both over once as a PKCS#12 bundle with a random
 * password; with a CSR it only signs. Only the certificate's SHA-256 fingerprint is stored, bound
 * to the credential row.
 */
public final class MtlsIssuer implements CredentialIssuer {
    private final LocalCa ca;
    private final int defaultDays;

    public MtlsIssuer(LocalCa ca, int defaultDays) {
        this.ca = ca;
        this.defaultDays = defaultDays;
    }

    @Override public AuthMethod method() { return AuthMethod.MTLS; }

    @Override
    public IssuedCredential issue(CredentialOwner owner, CredentialOptions options) {
        if (options.publicKeyPem() != null) throw ApiException.invalidRequest("Field 'public_key_pem' applies only to rsa connectors; mtls takes 'csr_pem'.");
        int days = options.certificateDays() == null ? defaultDays : options.certificateDays();
        X509Certificate cert;
        Map<String, Secret> shown = Map.of();
        if (options.csrPem() != null) {
            cert = ca.signRequest(options.csrPem(), owner.tenantId(), owner.connectorId(), days);
        } else {
            KeyPair kp = LocalCa.newKeyPair();
            cert = ca.issueClient(kp.getPublic(), owner.tenantId(), owner.connectorId(), days);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(Crypto.randomBytes(18));
            shown = Map.of("client_p12_base64", Secret.ofUtf8(pkcs12(kp, cert, password)), "client_p12_password", Secret.ofUtf8(password));
        }
        String fingerprint = LocalCa.fingerprint(cert);
        StoredCredential stored = new StoredCredential(fingerprint, null, null, fingerprint, cert.getNotAfter().toInstant());
        return new IssuedCredential(stored, null, fingerprint, shown, Map.of("client_certificate_pem", Pem.write(cert)));
    }

    private String pkcs12(KeyPair kp, X509Certificate cert, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", kp.getPrivate(), password.toCharArray(), new Certificate[] {cert, ca.certificate()});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password.toCharArray());
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a PKCS#12 bundle", e);
        }
    }
}
