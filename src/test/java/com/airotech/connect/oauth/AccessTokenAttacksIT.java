package com.airotech.connect.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ingest with Bearer tokens: the happy path, the token endpoint's answers, and the attacks a JWT verifier must refuse. */
class AccessTokenAttacksIT {
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;
    private JsonNode connector;

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        g = TestGateway.start(clock);
        acme = g.tenant("acme");
        connector = g.register(acme, "oauth2", null);
    }

    @AfterEach
    void stop() { g.close(); }

    private String path() { return connector.get("webhook_path").asText(); }

    private String token() { return Senders.token(g, connector.get("connector_id").asText(), connector.get("credential").asText()); }

    private TestGateway.Response ingestWith(String token) {
        return g.ingest(path(), Signer.event("door_open", null), Senders.bearer(token));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JWTClaimsSet claimsOf(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void aTokenFromTheTokenEndpointIsAcceptedOnItsConnectorsPath() throws Exception {
        TestGateway.Response t = Senders.tokenRequest(g, connector.get("connector_id").asText(), connector.get("credential").asText());
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.text("token_type")).isEqualTo("Bearer");
        assertThat(t.json().get("expires_in").asInt()).isEqualTo(300);
        SignedJWT jwt = SignedJWT.parse(t.text("access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo(connector.get("connector_id").asText());
        assertThat(c.getStringClaim("tid")).isEqualTo(acme.tenantId());
        assertThat(c.getIssuer()).isEqualTo(TokenService.ISSUER);
        assertThat(c.getAudience()).containsExactly(TokenService.AUDIENCE);
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant())).isEqualTo(Duration.ofSeconds(300));
        assertThat(ingestWith(t.text("access_token")).status()).isEqualTo(202);
    }

    @Test
    void theTokenEndpointAcceptsFormCredentialsAndAnswersInvalidClientForAWrongSecret() {
        String id = connector.get("connector_id").asText();
        TestGateway.Response form = g.send(HttpRequest.newBuilder(g.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + id + "&client_secret=" + connector.get("credential").asText())).build());
        assertThat(form.status()).isEqualTo(200);

        TestGateway.Response wrong = Senders.tokenRequest(g, id, "cs_not-the-secret");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();

        TestGateway.Response unknown = Senders.tokenRequest(g, "cn_nosuchclient", "whatever");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.error()).isEqualTo("invalid_client");

        TestGateway.Response grant = g.send(HttpRequest.newBuilder(g.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=" + id + "&client_secret=x")).build());
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.error()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void anotherMethodsConnectorCannotGetATokenWithItsCredential() {
        JsonNode basic = g.register(acme, "basic", null);
        TestGateway.Response r = Senders.tokenRequest(g, basic.get("connector_id").asText(), basic.get("credential").asText());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("invalid_client");
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRefused() throws Exception {
        String valid = token();
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + SignedJWT.parse(valid).getHeader().getKeyID() + "\"}");
        String none = header + "." + valid.split("\\.")[1] + ".";
        TestGateway.Response r = ingestWith(none);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("unauthorized");
        // the same token with the real signature still passes: the payload was not the problem
        assertThat(ingestWith(valid).status()).isEqualTo(202);
    }

    @Test
    void aTokenSignedHs256WithThePublicKeyIsRefused() throws Exception {
        String valid = token();
        JWKSet jwks = JWKSet.parse(g.send(HttpRequest.newBuilder(g.uri("/.well-known/jwks.json")).GET().build()).raw());
        RSAKey pub = (RSAKey) jwks.getKeys().get(0);
        byte[] publicKeyAsSecret = com.airotech.connect.pki.Pem.write(pub.toRSAPublicKey()).getBytes(StandardCharsets.US_ASCII);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).type(TokenService.TYPE).build(), claimsOf(valid));
        forged.sign(new MACSigner(publicKeyAsSecret));
        assertThat(ingestWith(forged.serialize()).status()).isEqualTo(401);
        SignedJWT forgedDer = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).type(TokenService.TYPE).build(), claimsOf(valid));
        forgedDer.sign(new MACSigner(pub.toRSAPublicKey().getEncoded()));
        assertThat(ingestWith(forgedDer.serialize()).status()).isEqualTo(401);
    }

    @Test
    void aTokenWithAnUnknownKidOrSignedByAnotherKeyIsRefused() throws Exception {
        String valid = token();
        String realKid = SignedJWT.parse(valid).getHeader().getKeyID();
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("sk_attacker").generate();
        SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("sk_attacker").type(TokenService.TYPE).build(), claimsOf(valid));
        unknownKid.sign(new RSASSASigner(attacker));
        assertThat(ingestWith(unknownKid.serialize()).status()).isEqualTo(401);

        SignedJWT borrowedKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(realKid).type(TokenService.TYPE).build(), claimsOf(valid));
        borrowedKid.sign(new RSASSASigner(attacker));
        assertThat(ingestWith(borrowedKid.serialize()).status()).isEqualTo(401);

        SignedJWT noKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(TokenService.TYPE).build(), claimsOf(valid));
        noKid.sign(new RSASSASigner(attacker));
        assertThat(ingestWith(noKid.serialize()).status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewIsUsedUp() {
        String t = token();
        clock.advance(Duration.ofSeconds(300 + 59));
        assertThat(ingestWith(t).status()).isEqualTo(202);
        clock.advance(Duration.ofSeconds(2));
        TestGateway.Response r = ingestWith(t);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("expired");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        clock.advance(Duration.ofMinutes(10));
        String future = token();
        clock.advance(Duration.ofMinutes(-10));
        TestGateway.Response r = ingestWith(future);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("future");
    }

    @Test
    void anotherTenantsTokenIsRefusedOnThisTenantsPath() {
        TestGateway.TenantHandle other = g.tenant("other");
        JsonNode theirs = g.register(other, "oauth2", null);
        String theirToken = Senders.token(g, theirs.get("connector_id").asText(), theirs.get("credential").asText());
        assertThat(g.ingest(theirs.get("webhook_path").asText(), Signer.event("door_open", null), Senders.bearer(theirToken)).status()).isEqualTo(202);
        assertThat(ingestWith(theirToken).status()).isEqualTo(401);
        JsonNode sibling = g.register(acme, "oauth2", null);
        assertThat(g.ingest(sibling.get("webhook_path").asText(), Signer.event("door_open", null), Senders.bearer(token())).status()).isEqualTo(401);
    }

    @Test
    void aRevokedConnectorsUnexpiredTokenFailsAtOnce() {
        String t = token();
        assertThat(ingestWith(t).status()).isEqualTo(202);
        assertThat(g.delete(acme.token(), "/api/connectors/" + connector.get("connector_id").asText()).status()).isEqualTo(200);
        assertThat(ingestWith(t).status()).isEqualTo(401);
        assertThat(Senders.tokenRequest(g, connector.get("connector_id").asText(), connector.get("credential").asText()).status()).isEqualTo(401);
    }

    @Test
    void tokensOfARotatedSecretWorkDuringItsGraceAndAreCredentialExpiredAfter() {
        String oldToken = token();
        TestGateway.Response rot = g.postJson(acme.token(), "/api/connectors/" + connector.get("connector_id").asText() + "/rotate", "{\"grace_seconds\":60}");
        assertThat(rot.status()).isEqualTo(200);
        String newToken = Senders.token(g, connector.get("connector_id").asText(), rot.text("credential"));
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(ingestWith(oldToken).status()).isEqualTo(202);
        assertThat(ingestWith(newToken).status()).isEqualTo(202);
        clock.advance(Duration.ofMillis(1));
        TestGateway.Response r = ingestWith(oldToken);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("credential_expired");
        assertThat(ingestWith(newToken).status()).isEqualTo(202);
        assertThat(Senders.tokenRequest(g, connector.get("connector_id").asText(), connector.get("credential").asText()).error()).isEqualTo("invalid_client");
    }

    @Test
    void aSigningKeyRotationKeepsTokensOfTheOldKeyWorkingAndPublishesBothKeys() throws Exception {
        String before = token();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        String newKid = g.platform.tokens().rotateSigningKey();
        String after = token();
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
        JWKSet jwks = JWKSet.parse(g.send(HttpRequest.newBuilder(g.uri("/.well-known/jwks.json")).GET().build()).raw());
        assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(ingestWith(before).status()).isEqualTo(202);
        assertThat(ingestWith(after).status()).isEqualTo(202);
        clock.advance(Duration.ofSeconds(360));
        jwks = JWKSet.parse(g.send(HttpRequest.newBuilder(g.uri("/.well-known/jwks.json")).GET().build()).raw());
        assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid);
    }
}
