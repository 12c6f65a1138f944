package com.airotech.connect.auth;

import java.time.Instant;

/**
 * What the {@code oauth2} verifier needs of the token issuer ({@code oauth/TokenService}): the issuer uses
 * this package's {@link FailureThrottle}, so the verifier sees it through this interface and the two
 * packages do not depend on each other both ways.
 */
public interface BearerTokens {
    /** Whom a valid access token was minted for. */
    interface Bearer {
        String tenantId();

        String connectorId();

        String credentialId();
    }

    /** The token's holder; throws an unauthorized {@code ApiException} for a token that is not valid now. */
    Bearer verify(String token, Instant now);
}
