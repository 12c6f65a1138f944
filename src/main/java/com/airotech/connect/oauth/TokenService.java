package com.airotech.connect.oauth;

import com.airotech.connect.auth.BearerTokens;
import com.airotech.connect.auth.FailureThrottle;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Secret;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.ingest.RejectionAudit;
import com.airotech.connect.store.Database;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The OAuth2 client-credentials grant for {@code oauth2} connectors, and the checks of the access
 * tokens it mints. A token is an RS256 JWT: {@code sub} connector, {@code tid} tenant, {@code cid}
 * the client-secret credential it was minted with, {@code iss}, {@code aud}, {@code iat},
 * {@code exp} (300 s), {@code jti}, and {@code kid} in the header.
 *
 * <p>Client-secret rotation: a token carries the credential it was minted with and is accepted
 * only while that credential is valid. Tokens minted with the previous secret keep working during
 * its rotation grace and are {@code 401 credential_expired} from the moment the grace ends, even
 * when they have not expired yet; revoking the connector ends every token at once.
 */
public final class TokenService implements BearerTokens {
    public static final String ISSUER = "urn:airotech-connect";
    public static final String AUDIENCE = "urn:airotech-connect:ingest";
    public static final Duration LIFETIME = Duration.ofSeconds(300);
    public static final Duration SKEW = Duration.ofSeconds(60);
    static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final int MAX_TOKEN = 4096;

    private final Database db;
    private final ConnectorService connectors;
    private final SigningKeys keys;
    private final FailureThrottle throttle;
    private final RejectionAudit rejections;
    private final Clock clock;

    public TokenService(Database db, ConnectorService connectors, SigningKeys keys, FailureThrottle throttle, RejectionAudit rejections, Clock clock) {
        this.db = db;
        this.connectors = connectors;
        this.keys = keys;
        this.throttle = throttle;
        this.rejections = rejections;
        this.clock = clock;
    }

    public SigningKeys keys() { return keys; }

    /** What a verified access token says. */
    public record AccessToken(String tenantId, String connectorId, String credentialId, Instant expiresAt) implements BearerTokens.Bearer {}

    /** A minted token; the token is a bearer credential, so it is a {@link Secret}. */
    public record Minted(Secret accessToken, long expiresIn) {}

    /**
     * The client-credentials grant: {@code client_id} is the connector id, {@code client_secret}
     * its current (or, inside the rotation grace, previous) secret. Any failure is
     * {@code 401 invalid_client} with no hint whether the client exists.
     */
    public Minted issue(String clientId, Secret clientSecret, String sourceAddress) {
        Optional<ConnectorAuth> found = clientId == null || clientId.length() > 64 ? Optional.empty() : find(clientId);
        ConnectorAuth c = found.filter(ConnectorAuth::active).filter(a -> a.method() == AuthMethod.OAUTH2).orElse(null);
        try {
            // unknown client, another method's connector, wrong or expired secret: one answer, so a
            // stranger learns neither whether the client exists nor which secret it guessed
            if (c == null) throw invalidClient();
            byte[] digest = Crypto.sha256(clientSecret.bytes());
            CredentialState cred;
            try {
                cred = c.match(cs -> cs.secretSha256() != null && MessageDigest.isEqual(digest, Crypto.unhex(cs.secretSha256())), clock.instant());
            } catch (ApiException expired) {
                throw invalidClient();
            }
            if (cred == null) throw invalidClient();
            return new Minted(Secret.ofUtf8(mint(c.tenantId(), c.connectorId(), cred.credentialId())), LIFETIME.getSeconds());
        } catch (ApiException e) {
            ApiException answer = throttle.failed(c == null ? null : c.tenantId(), c == null ? null : c.connectorId(), sourceAddress, e);
            if (c != null) rejections.record(c.tenantId(), c.connectorId(), answer.code(), sourceAddress);
            throw answer;
        }
    }

    static final String INVALID_CLIENT = "Client authentication failed: client_id must be an active oauth2 connector's id and "
            + "client_secret its current secret (or, within a rotation's grace, the previous one).";

    static ApiException invalidClient() { return new ApiException(ApiException.Kind.UNAUTHORIZED, "invalid_client", INVALID_CLIENT); }


    private Optional<ConnectorAuth> find(String connectorId) {
        String tenantId = db.read(conn -> {
            // the client id alone names the connector (ids are random across tenants); the tenant comes from the row
            try (PreparedStatement ps = conn.prepareStatement("SELECT tenant_id FROM connectors WHERE connector_id = ?")) {
                ps.setString(1, connectorId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return tenantId == null ? Optional.empty() : connectors.auth(tenantId, connectorId);
    }

    String mint(String tenantId, String connectorId, String credentialId) {
        Instant now = clock.instant();
        RSAKey key = keys.current();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject(connectorId)
                .claim("tid", tenantId).claim("cid", credentialId)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(Crypto.newId("jt")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(TYPE).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /**
     * Checks an access token: RS256 only (so {@code none} and HS256 keyed with the public key fail),
     * a published {@code kid}, the signature, issuer, audience, {@code exp} and {@code iat} within
     * {@link #SKEW}. Throws {@code 401 unauthorized} with what failed.
     */
    @Override
    public AccessToken verify(String token, Instant now) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) throw bad("The bearer token is missing or too long.");
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw bad("The bearer token is not a signed JWT from this gateway's token endpoint.");
        }
        JWSHeader h = jwt.getHeader();
        if (!JWSAlgorithm.RS256.equals(h.getAlgorithm())) throw bad("The bearer token must be signed RS256.");
        if (!TYPE.equals(h.getType())) throw bad("The bearer token is not an access token of this gateway (typ at+jwt).");
        if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) throw bad("The bearer token has critical header parameters this gateway does not understand.");
        RSAPublicKey pub = keys.publicKey(h.getKeyID(), now);
        if (pub == null) throw bad("The bearer token's kid is not a key of this gateway (GET /.well-known/jwks.json); get a new token.");
        try {
            if (!jwt.verify(new RSASSAVerifier(pub))) throw bad("The bearer token's signature does not verify.");
        } catch (JOSEException e) {
            throw bad("The bearer token's signature does not verify.");
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(c.getIssuer())) throw bad("The bearer token was not issued by this gateway.");
            List<String> aud = c.getAudience();
            if (aud == null || !aud.contains(AUDIENCE)) throw bad("The bearer token is not meant for ingest (aud).");
            Date exp = c.getExpirationTime();
            Date iat = c.getIssueTime();
            if (exp == null || iat == null) throw bad("The bearer token lacks exp or iat.");
            if (now.isAfter(exp.toInstant().plus(SKEW))) throw bad("The bearer token has expired; get a new one from POST /oauth2/token.");
            if (iat.toInstant().isAfter(now.plus(SKEW))) throw bad("The bearer token was issued in the future; check the clocks.");
            String tid = c.getStringClaim("tid");
            String cid = c.getStringClaim("cid");
            if (tid == null || cid == null || c.getSubject() == null) throw bad("The bearer token lacks sub, tid or cid.");
            return new AccessToken(tid, c.getSubject(), cid, exp.toInstant());
        } catch (ParseException e) {
            throw bad("The bearer token's claims cannot be read.");
        }
    }

    private static ApiException bad(String message) { return ApiException.unauthorized(message); }

    /** Rotates the signing key; the previous key is published until its last token has expired. */
    public String rotateSigningKey() { return keys.rotate(LIFETIME.plus(SKEW)); }
}
