package com.airotech.connect.connection;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Calls to a vendor's token endpoint (RFC 6749): the authorization-code exchange with the PKCE
 * verifier, the refresh grant, and the client-credentials grant. The client authenticates with
 * HTTP Basic ({@code client_secret_basic}) or form fields ({@code client_secret_post}).
 */
final class OAuth2Client {
    /** Tokens from the endpoint; {@code expiresAt} null when the vendor gave no lifetime. */
    record Tokens(Secret accessToken, Secret refreshToken, Instant expiresAt) {}

    /** The endpoint refused the grant (400/401 with an OAuth2 error): the grant is gone, not the network. */
    static final class Refused extends RuntimeException {
        final String error;
        final int status;

        Refused(String error, int status) {
            super("token endpoint refused the grant: " + error, null, false, false);
            this.error = error;
            this.status = status;
        }
    }

    private OAuth2Client() {}

    static Tokens exchangeCode(Connection c, AddressPolicy policy, CloseableHttpClient http, Secret clientSecret, String code, Secret verifier,
                               String redirectUri, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier.utf8());
        return call(c, policy, http, clientSecret, form, now);
    }

    static Tokens refresh(Connection c, AddressPolicy policy, CloseableHttpClient http, Secret clientSecret, Secret refreshToken, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.utf8());
        return call(c, policy, http, clientSecret, form, now);
    }

    static Tokens clientCredentials(Connection c, AddressPolicy policy, CloseableHttpClient http, Secret clientSecret, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        String scopes = OAuth2Kind.config(c).scopeList();
        if (!scopes.isEmpty()) form.put("scope", scopes);
        return call(c, policy, http, clientSecret, form, now);
    }

    private static Tokens call(Connection c, AddressPolicy policy, CloseableHttpClient http, Secret clientSecret, Map<String, String> form, Instant now) {
        OAuth2Kind.Config config = OAuth2Kind.config(c);
        String clientId = config.clientId();
        boolean basic = !"client_secret_post".equals(config.tokenAuth());
        form.put("client_id", clientId);
        if (!basic && clientSecret != null) form.put("client_secret", clientSecret.utf8());
        byte[] body = encode(form).getBytes(StandardCharsets.US_ASCII);
        Secret basicHeader = basic && clientSecret != null
                ? Secret.ofUtf8("Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret.utf8())).getBytes(StandardCharsets.US_ASCII)))
                : null;
        Injector inj = basicHeader == null ? Injector.NONE : Injector.header("Authorization", basicHeader);
        OutboundResponse r = OutboundHttp.send(policy, c.tenantId(), http, URI.create(config.tokenUrl()), "POST",
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded"), "Accept", List.of("application/json")), body, inj,
                Duration.ofSeconds(10));
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            json = null;
        }
        if ((r.status() == 400 || r.status() == 401) && json != null && json.path("error").isTextual()) {
            throw new Refused(Text.sanitize(json.get("error").asText(), 64), r.status());
        }
        if (!r.success() || json == null || !json.path("access_token").isTextual() || json.get("access_token").asText().isEmpty()) {
            throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The token endpoint " + OutboundHttp.where(URI.create(config.tokenUrl()))
                    + " answered HTTP " + r.status() + " without a usable token. Check config.token_url and the vendor's status; the call can be retried.");
        }
        String type = json.path("token_type").asText("bearer");
        if (!type.equalsIgnoreCase("bearer")) {
            throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The token endpoint issued a '" + Text.sanitize(type, 32)
                    + "' token; only Bearer tokens are supported.");
        }
        Instant expires = json.path("expires_in").canConvertToLong() && json.get("expires_in").asLong() > 0
                ? now.plusSeconds(json.get("expires_in").asLong()) : null;
        Secret refresh = json.path("refresh_token").isTextual() && !json.get("refresh_token").asText().isEmpty()
                ? Secret.ofUtf8(json.get("refresh_token").asText()) : null;
        // both go into an Authorization header or a form later: anything but visible ASCII is the vendor's error, never echoed
        if (!Text.isVisibleAscii(json.get("access_token").asText()) || (refresh != null && !Text.isVisibleAscii(refresh.utf8()))) {
            throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The token endpoint " + OutboundHttp.where(URI.create(config.tokenUrl()))
                    + " issued a token with characters outside visible ASCII, which cannot be sent in a header. Report it to the vendor.");
        }
        return new Tokens(Secret.ofUtf8(json.get("access_token").asText()), refresh, expires);
    }

    static String encode(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
        return j.toString();
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
