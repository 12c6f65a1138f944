package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inbound authentication: the connector's declared method decides what is checked. A request
 * that carries another method's proof is {@code auth_method_mismatch}, one with none is
 * {@code unauthorized}; both are decided on headers, before any body byte is read, and both say
 * the same {@link #NO_VALID_CREDENTIAL}: the connector's method is not told to a stranger.
 */
public final class InboundAuthenticator {
    /** The one message for a request without a valid credential of the path's connector (or at a path naming none). */
    public static final String NO_VALID_CREDENTIAL = "This request carries no valid credential for this webhook path. Send the credential "
            + "issued for this connector, the way it was registered to authenticate (the console and GET /api/connectors show it).";

    private final Map<AuthMethod, InboundVerifier> verifiers = new EnumMap<>(AuthMethod.class);

    public InboundAuthenticator(List<InboundVerifier> verifiers) {
        for (InboundVerifier v : verifiers) this.verifiers.put(v.method(), v);
    }

    public InboundVerifier.HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest r, Instant now) {
        InboundVerifier own = verifiers.get(connector.method());
        if (own == null) throw ApiException.unauthorized("This gateway cannot verify " + connector.method().wire() + " connectors.");
        // what a caller without this connector's credential is told names neither the method nor what it lacks:
        // a stranger who knows the path learns nothing about how the connector authenticates
        if (connector.method() == AuthMethod.MTLS && !r.secure()) throw ApiException.unauthorized(NO_VALID_CREDENTIAL);
        Set<AuthMethod> presented = presented(r);
        if (!presented.contains(connector.method())) {
            presented.remove(AuthMethod.MTLS); // a client certificate alone is just TLS, not a claim of another method
            if (!presented.isEmpty()) throw new ApiException(ApiException.Kind.UNAUTHORIZED, "auth_method_mismatch", NO_VALID_CREDENTIAL);
            throw ApiException.unauthorized(NO_VALID_CREDENTIAL);
        }
        return own.verifyHeaders(connector, r, now);
    }

    /** Which methods' kinds of proof a request carries. */
    public static Set<AuthMethod> presented(InboundRequest r) {
        Set<AuthMethod> out = EnumSet.noneOf(AuthMethod.class);
        if (!r.headers(StandardWebhooks.SIGNATURE).isEmpty()) {
            boolean v1 = false;
            boolean v1r = false;
            for (String h : r.headers(StandardWebhooks.SIGNATURE)) {
                for (StandardWebhooks.Signature s : StandardWebhooks.parseSignatures(h)) {
                    v1 |= s.version().equals("v1");
                    v1r |= s.version().equals("v1r");
                }
            }
            if (v1 || !v1r) out.add(AuthMethod.HMAC);
            if (v1r || !v1) out.add(AuthMethod.RSA);
        }
        if (!r.headers(ApiKeyVerifier.HEADER).isEmpty()) out.add(AuthMethod.API_KEY);
        for (String a : r.headers("Authorization")) {
            if (BasicCredentials.isBasic(a)) out.add(AuthMethod.BASIC);
            else if (BasicCredentials.isBearer(a)) out.add(AuthMethod.OAUTH2);
        }
        if (r.peerCertificates().length > 0) out.add(AuthMethod.MTLS);
        return out;
    }
}
