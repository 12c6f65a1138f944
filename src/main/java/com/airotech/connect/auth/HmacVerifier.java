package com.airotech.connect.auth;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import java.time.Instant;

/** {@code hmac}: Standard Webhooks {@code v1} signatures with the connector's sealed secret. */
public final class HmacVerifier implements InboundVerifier {
    @Override public AuthMethod method() { return AuthMethod.HMAC; }


    @Override
    public HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        StandardWebhooks.Headers h = StandardWebhooks.parse(r, now);
        return HeaderResult.needsBody((body, at) -> {
            CredentialState c = connector.match(cs -> cs.hmacKey() != null && StandardWebhooks.verifyHmac(cs.hmacKey().bytes(), h, body), at);
            if (c == null) throw StandardWebhooks.signatureInvalid("No webhook-signature entry matches the body with this connector's secret.");
            return new Verified(c.credentialId(), h.id(), h.timestamp());
        });
    }
}
