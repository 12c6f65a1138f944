package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.pki.LocalCa;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * {@code mtls}: over the HTTPS listener only, the client certificate must come from the local CA,
 * be valid now, and its SHA-256 fingerprint must be bound to a credential of this connector that
 * is still valid (the current one, or the previous one inside its rotation grace). The listener's
 * trust manager already refused foreign and expired certificates; this checks again because a TLS
 * session can outlive a certificate, and because only the fingerprint ties it to one connector.
 */
public final class MtlsVerifier implements InboundVerifier {
    private final LocalCa ca;

    public MtlsVerifier(LocalCa ca) { this.ca = ca; }

    @Override public AuthMethod method() { return AuthMethod.MTLS; }

    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        if (!r.secure()) throw ApiException.unauthorized("An mtls connector must send over the HTTPS listener with its client certificate.");
        X509Certificate[] chain = r.peerCertificates();
        if (chain.length == 0) throw ApiException.unauthorized("No client certificate was presented; send this connector's certificate on the HTTPS listener.");
        X509Certificate leaf = chain[0];
        if (!ca.signedByUs(leaf)) throw ApiException.unauthorized("The client certificate was not issued by this gateway's CA (GET /api/pki/ca.pem).");
        if (!ca.validNow(leaf)) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "credential_expired", "The client certificate has expired or is not yet valid; rotate the connector for a new one.");
        }
        byte[] fp = LocalCa.fingerprint(leaf).getBytes(StandardCharsets.US_ASCII);
        CredentialState c = connector.match(cs -> cs.certSha256() != null
                && MessageDigest.isEqual(fp, cs.certSha256().getBytes(StandardCharsets.US_ASCII)), now);
        if (c == null) throw ApiException.unauthorized("The client certificate is not bound to this connector; use the certificate issued for it.");
        return HeaderResult.done(Verified.byCredential(c.credentialId()));
    }
}
