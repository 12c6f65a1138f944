package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import java.time.Instant;
import java.util.List;

/**
 * {@code oauth2}: {@code Authorization: Bearer <access token>} from {@code POST /oauth2/token} (minted and
 * checked by {@code oauth/TokenService}, reached through {@link BearerTokens} so that auth does not depend on oauth). Beyond
 * the token's own checks, its tenant and connector must be the ones of the path, and the client
 * secret it was minted with must still be a valid credential of this (active) connector: a revoked
 * connector's tokens fail at once, and tokens of a rotated secret end with its grace.
 */
public final class OAuth2Verifier implements InboundVerifier {
    private final BearerTokens tokens;

    public OAuth2Verifier(BearerTokens tokens) { this.tokens = tokens; }

    @Override public AuthMethod method() { return AuthMethod.OAUTH2; }

    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        List<String> auth = r.headers("Authorization");
        if (auth.size() != 1 || !BasicCredentials.isBearer(auth.get(0))) {
            throw ApiException.unauthorized("Send one Authorization: Bearer header with a token from POST /oauth2/token.");
        }
        BearerTokens.Bearer t = tokens.verify(auth.get(0).trim().substring(7).trim(), now);
        if (!t.tenantId().equals(connector.tenantId()) || !t.connectorId().equals(connector.connectorId())) {
            throw ApiException.unauthorized("The bearer token belongs to another connector; use this connector's own token.");
        }
        CredentialState c = connector.match(cs -> cs.credentialId().equals(t.credentialId()), now);
        if (c == null) throw ApiException.unauthorized("The client secret this token was minted with is no longer a credential of this connector; get a new token.");
        return HeaderResult.done(Verified.byCredential(c.credentialId()));
    }
}
