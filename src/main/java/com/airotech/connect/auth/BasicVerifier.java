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

/** {@code basic}: user name = connector id, password compared by SHA-256 in constant time. */
public final class BasicVerifier implements InboundVerifier {
    @Override public AuthMethod method() { return AuthMethod.BASIC; }


    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        List<String> auth = r.headers("Authorization");
        BasicCredentials bc = auth.size() == 1 ? BasicCredentials.parse(auth.get(0)) : null;
        if (bc == null) throw ApiException.unauthorized("Send one Authorization: Basic header with base64(connector_id:password).");
        try {
            boolean userOk = MessageDigest.isEqual(bc.user().getBytes(StandardCharsets.UTF_8), connector.connectorId().getBytes(StandardCharsets.UTF_8));
            byte[] digest = Crypto.sha256(bc.password().bytes());
            CredentialState c = connector.match(cs -> userOk && cs.secretSha256() != null && MessageDigest.isEqual(digest, Crypto.unhex(cs.secretSha256())), now);
            if (c == null) throw ApiException.unauthorized("The user name or password is not valid for this connector (the user name is the connector id).");
            return HeaderResult.done(Verified.byCredential(c.credentialId()));
        } finally {
            bc.password().destroy();
        }
    }
}
