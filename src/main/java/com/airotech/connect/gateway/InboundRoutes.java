package com.airotech.connect.gateway;

import com.airotech.connect.auth.BasicCredentials;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.LogSafe;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.oauth.TokenService;
import com.airotech.connect.pki.LocalCa;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes that senders use around ingest: the OAuth2 token endpoint ({@code POST /oauth2/token}),
 * the token keys ({@code GET /.well-known/jwks.json}) and the local CA certificate
 * ({@code GET /api/pki/ca.pem}), none of which takes an admin token.
 */
public final class InboundRoutes {
    private static final Logger log = LoggerFactory.getLogger(InboundRoutes.class);
    private static final int MAX_FORM = 8 * 1024;

    private InboundRoutes() {}

    public static List<Gateway.Route> of(TokenService tokens, LocalCa ca) {
        return List.of(
                new Gateway.Route("POST", "/oauth2/token", new TokenEndpoint(tokens)),
                new Gateway.Route("GET", "/.well-known/jwks.json", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=60");
                    ex.getResponseSender().send(tokens.keys().jwksJson());
                }),
                new Gateway.Route("GET", "/api/pki/ca.pem", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-pem-file");
                    ex.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"airotech-connect-ca.pem\"");
                    ex.getResponseSender().send(ca.certificatePem());
                }));
    }

    /** RFC 6749 §4.4 client credentials; errors per §5.2. */
    static final class TokenEndpoint implements HttpHandler {
        private final TokenService tokens;

        TokenEndpoint(TokenService tokens) { this.tokens = tokens; }

        @Override
        public void handleRequest(HttpServerExchange ex) {
            if (ex.isInIoThread()) {
                ex.dispatch(this);
                return;
            }
            boolean basicUsed = false;
            Secret secret = null;
            try {
                String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
                String base = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (!base.equals("application/x-www-form-urlencoded")) {
                    throw new ApiException(ApiException.Kind.INVALID, "invalid_request", "Send the token request form-encoded (application/x-www-form-urlencoded).");
                }
                Map<String, String> form = parseForm(readBody(ex));
                if (!"client_credentials".equals(form.get("grant_type"))) {
                    throw new ApiException(ApiException.Kind.INVALID, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
                }
                List<String> auth = ex.getRequestHeaders().get(Headers.AUTHORIZATION) == null ? List.of() : ex.getRequestHeaders().get(Headers.AUTHORIZATION);
                String clientId;
                if (!auth.isEmpty()) {
                    basicUsed = true;
                    BasicCredentials bc = auth.size() == 1 ? BasicCredentials.parse(auth.get(0)) : null;
                    if (bc == null) throw new ApiException(ApiException.Kind.UNAUTHORIZED, "invalid_client", "Send client authentication as one Authorization: Basic header.");
                    if (form.containsKey("client_secret")) {
                        bc.password().destroy();
                        throw new ApiException(ApiException.Kind.INVALID, "invalid_request", "Authenticate the client one way only: HTTP Basic or form fields.");
                    }
                    clientId = urlDecode(bc.user());
                    secret = Secret.ofUtf8(urlDecode(bc.password().utf8()));
                    bc.password().destroy();
                } else {
                    clientId = form.get("client_id");
                    String s = form.get("client_secret");
                    if (clientId == null || s == null) throw new ApiException(ApiException.Kind.UNAUTHORIZED, "invalid_client", "Client authentication is missing: HTTP Basic or client_id and client_secret.");
                    secret = Secret.ofUtf8(s);
                }
                TokenService.Minted m = tokens.issue(clientId, secret, source(ex));
                ex.getResponseHeaders().put(new HttpString("Pragma"), "no-cache");
                Http.json(ex, 200, Json.object().put("access_token", m.accessToken().utf8()).put("token_type", "Bearer").put("expires_in", m.expiresIn()));
            } catch (ApiException e) {
                if (e.kind() == ApiException.Kind.UNAUTHORIZED && basicUsed) ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic realm=\"airotech-connect\"");
                Http.error(ex, e);
            } catch (Exception e) {
                log.error("token endpoint failed unexpectedly", LogSafe.withoutMessages(e));
                Http.error(ex, new ApiException(ApiException.Kind.INTERNAL, "server_error", "The token endpoint failed unexpectedly; the operator log has the details."));
            } finally {
                if (secret != null) secret.destroy();
            }
        }

        private static byte[] readBody(HttpServerExchange ex) throws IOException {
            if (ex.getRequestContentLength() > MAX_FORM) throw Http.tooLarge(MAX_FORM);
            ex.startBlocking();
            try (InputStream in = ex.getInputStream()) {
                byte[] b = in.readNBytes(MAX_FORM + 1);
                if (b.length > MAX_FORM) throw Http.tooLarge(MAX_FORM);
                return b;
            }
        }

        static Map<String, String> parseForm(byte[] body) {
            Map<String, String> out = new HashMap<>();
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.isEmpty()) return out;
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
                if (out.put(k, v) != null) throw new ApiException(ApiException.Kind.INVALID, "invalid_request", "Parameter '" + k.replaceAll("[^a-z_]", "") + "' is given more than once.");
            }
            return out;
        }

        private static String urlDecode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiException.Kind.INVALID, "invalid_request", "The form is not valid application/x-www-form-urlencoded.");
            }
        }

        private static String source(HttpServerExchange ex) {
            InetSocketAddress a = ex.getSourceAddress();
            return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
        }
    }
}
