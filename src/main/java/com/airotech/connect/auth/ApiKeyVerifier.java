package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/** {@code api_key}: the {@code X-Api-Key} header, compared by SHA-256 in constant time. */
public final class ApiKeyVerifier implements InboundVerifier {
    public static final String HEADER = "X-Api-Key";

    @Override public AuthMethod method() { return AuthMethod.API_KEY; }


    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        List<String> v = r.headers(HEADER);
        if (v.size() != 1 || v.get(0).isEmpty() || v.get(0).length() > 512) {
            throw ApiException.unauthorized("Send exactly one X-Api-Key header with this connector's key.");
        }
        byte[] digest = Crypto.sha256(v.get(0).trim().getBytes(StandardCharsets.UTF_8));
        CredentialState c = connector.match(cs -> cs.secretSha256() != null && MessageDigest.isEqual(digest, Crypto.unhex(cs.secretSha256())), now);
        if (c == null) throw ApiException.unauthorized("The API key is not valid for this connector.");
        return HeaderResult.done(Verified.byCredential(c.credentialId()));
    }
}
