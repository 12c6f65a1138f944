package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kind {@code oauth2}: a bearer token from the vendor, by consent (authorization_code with PKCE,
 * {@link OAuth2Consent}) or by the client-credentials grant; refreshed by {@link TokenRefresh}.
 */
public final class OAuth2Kind implements Kind {
    /** {@code scopes} is null when none were given. */
    public record Config(Common common, String authorizeUrl, String tokenUrl, String clientId, List<String> scopes, String grantType,
                         String redirectUri, String tokenAuth) implements KindConfig {
        public Config {
            scopes = scopes == null ? null : List.copyOf(scopes);
        }

        public boolean authorizationCode() { return "authorization_code".equals(grantType); }

        public boolean clientCredentials() { return "client_credentials".equals(grantType); }

        /** The scopes as the token endpoint takes them, space-separated; empty when none. */
        public String scopeList() { return scopes == null ? "" : String.join(" ", scopes); }

        @Override public void fields(ObjectNode o) {
            if (authorizeUrl != null) o.put("authorize_url", authorizeUrl);
            o.put("token_url", tokenUrl);
            o.put("client_id", clientId);
            if (scopes != null) {
                ArrayNode a = o.putArray("scopes");
                scopes.forEach(a::add);
            }
            o.put("grant_type", grantType);
            if (redirectUri != null) o.put("redirect_uri", redirectUri);
            o.put("token_auth", tokenAuth);
        }
    }

    /** The client secret (once registered) and the tokens of the latest grant; any may be null. */
    public record Grant(Secret clientSecret, Secret accessToken, Secret refreshToken, Instant expiresAt) implements Material {
        @Override public void fields(ObjectNode o) {
            if (clientSecret != null) o.put("client_secret", clientSecret.utf8());
            if (accessToken != null) o.put("access_token", accessToken.utf8());
            if (refreshToken != null) o.put("refresh_token", refreshToken.utf8());
            if (expiresAt != null) o.put("expires_at", expiresAt.getEpochSecond());
        }

        boolean freshAt(Instant now, long windowSeconds) {
            return accessToken != null && (expiresAt == null || now.isBefore(expiresAt.minusSeconds(windowSeconds)));
        }

        boolean validAt(Instant now) {
            return accessToken != null && (expiresAt == null || now.isBefore(expiresAt));
        }

        /** The same client secret with the tokens of another grant. */
        Grant withTokens(Secret access, Secret refresh, Instant expires) { return new Grant(clientSecret, access, refresh, expires); }
    }

    @Override public Set<String> configFields() {
        return Set.of("authorize_url", "token_url", "client_id", "scopes", "grant_type", "redirect_uri", "token_auth");
    }

    @Override public KindConfig config(ObjectNode c, KindConfig.Common common) {
        String grant = c.has("grant_type") ? c.get("grant_type").asText() : "authorization_code";
        if (!grant.equals("authorization_code") && !grant.equals("client_credentials")) {
            throw ApiException.invalidRequest("Field 'config.grant_type' must be authorization_code (default) or client_credentials.");
        }
        if (grant.equals("authorization_code")) requireUrl(c, "authorize_url");
        requireUrl(c, "token_url");
        if (c.has("redirect_uri")) requireUrl(c, "redirect_uri");
        JsonNode id = c.get("client_id");
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > 256 || !Text.isPrintable(id.asText())) {
            throw ApiException.invalidRequest("Field 'config.client_id' is required: the client id registered with the vendor for this connection.");
        }
        JsonNode scopes = c.get("scopes");
        List<String> list = null;
        if (scopes != null) {
            if (!scopes.isArray()) throw ApiException.invalidRequest("Field 'config.scopes' must be an array of strings.");
            list = new ArrayList<>();
            for (JsonNode s : scopes) {
                if (!s.isTextual() || !s.asText().matches("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$")) {
                    throw ApiException.invalidRequest("Field 'config.scopes' must hold scope tokens (printable, no spaces or quotes).");
                }
                list.add(s.asText());
            }
        }
        String auth = c.has("token_auth") ? c.get("token_auth").asText() : "client_secret_basic";
        if (!auth.equals("client_secret_basic") && !auth.equals("client_secret_post")) {
            throw ApiException.invalidRequest("Field 'config.token_auth' must be client_secret_basic (default) or client_secret_post.");
        }
        return new Config(common, Kind.text(c, "authorize_url"), Kind.text(c, "token_url"), id.asText(), list, grant, Kind.text(c, "redirect_uri"), auth);
    }

    private static void requireUrl(ObjectNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || !n.isTextual()) throw ApiException.invalidRequest("Field 'config." + field + "' is required (an http or https URL).");
        NewConnection.absoluteHttp(n.asText(), "config." + field);
    }

    @Override public Detail missing() { return new Detail.NeedsClientSecretAndConsent(); }

    /** A registered client secret; the tokens come later, from consent or the client-credentials grant. */
    @Override public Material material(ObjectNode body) {
        Kind.only(body, Set.of("client_secret"));
        return new Grant(Secret.ofUtf8(Kind.required(body, "client_secret", 4096)), null, null, null);
    }

    @Override public Material decode(JsonNode m) {
        Instant exp = m.has("expires_at") ? Instant.ofEpochSecond(m.get("expires_at").asLong()) : null;
        return new Grant(Kind.secret(m, "client_secret"), Kind.secret(m, "access_token"), Kind.secret(m, "refresh_token"), exp);
    }

    @Override public Injector injector(KindConfig config, Material material, Secret bearer) {
        return bearer == null ? Injector.NONE : Injector.header("Authorization", Secret.ofUtf8("Bearer " + bearer.utf8()));
    }

    /** An oauth2 connection's config; anything else is a programming error. */
    static Config config(Connection c) {
        if (c.config() instanceof Config o) return o;
        throw new IllegalStateException("connection " + c.connectionId() + " is not an oauth2 connection");
    }
}
