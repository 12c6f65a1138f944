package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /api/connections} body. {@code config} is non-secret and shown to
 * anyone with the tenant's admin token, so fields that look like material are refused there with
 * a pointer to {@code POST …/credential}.
 */
public final class NewConnection {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");
    private static final Set<String> COMMON = Set.of("ca_pem", "timeout_seconds");
    private static final Set<String> SECRET_LOOKING = Set.of("password", "secret", "client_secret", "api_key", "token", "access_token",
            "refresh_token", "client_p12_base64", "client_p12_password", "private_key", "key");

    private final String name;
    private final ConnectionKind kind;
    private final String baseUrl;
    private final KindConfig config;
    private final String probePath;

    /** Validates a request's name, kind, base URL, config (as sent; null: none) and probe path. */
    public NewConnection(String name, ConnectionKind kind, String baseUrl, ObjectNode config, String probePath) {
        checkName(name);
        this.config = parseConfig(kind, config);
        if (kind == ConnectionKind.AWS_IAM && baseUrl == null) {
            probePath = null;
        } else {
            baseUrl = validateBaseUrl(baseUrl);
            if (probePath == null || probePath.isEmpty()) probePath = "/";
            if (!probePath.startsWith("/") || probePath.startsWith("//") || probePath.length() > 2048 || !Text.isPrintable(probePath)
                    || probePath.contains("#") || probePath.contains(" ")) {
                throw ApiException.invalidRequest("Field 'probe_path' must be a path starting with '/', such as /api/health.");
            }
        }
        this.name = name;
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.probePath = probePath;
    }

    public String name() { return name; }

    public ConnectionKind kind() { return kind; }

    public String baseUrl() { return baseUrl; }

    /** The kind's config, validated and with its defaults. */
    public KindConfig config() { return config; }

    public String probePath() { return probePath; }

    public static NewConnection fromJson(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("name", "kind", "base_url", "config", "probe_path").contains(f)) {
                throw ApiException.invalidRequest("Field '" + Text.sanitize(f, 64) + "' is not known; a connection takes name, kind, base_url, config and probe_path"
                        + " (material goes to POST /api/connections/{id}/credential).");
            }
        }
        JsonNode cfg = body.get("config");
        if (cfg != null && !cfg.isNull() && !cfg.isObject()) throw ApiException.invalidRequest("Field 'config' must be a JSON object.");
        return new NewConnection(text(body, "name"), body.hasNonNull("kind") ? ConnectionKind.fromWire(text(body, "kind")) : null,
                text(body, "base_url"), cfg == null || cfg.isNull() ? null : (ObjectNode) cfg, text(body, "probe_path"));
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiException.invalidRequest("Field '" + field + "' must be a string.");
        return n.asText();
    }

    static String validateBaseUrl(String url) {
        if (url == null || url.isBlank()) throw ApiException.invalidRequest("Field 'base_url' is required: the http(s) address of the system, such as https://bms.site.local:8443.");
        URI u = absoluteHttp(url, "base_url");
        if (u.getRawQuery() != null || u.getRawFragment() != null) throw ApiException.invalidRequest("Field 'base_url' cannot carry a query or fragment.");
        String s = u.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static URI absoluteHttp(String url, String field) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalidRequest("Field '" + field + "' is not a valid URL.");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw ApiException.invalidRequest("Field '" + field + "' must be an absolute http or https URL.");
        }
        if (u.getRawUserInfo() != null) throw ApiException.invalidRequest("Field '" + field + "' cannot carry user info; credentials go to POST /api/connections/{id}/credential.");
        return u;
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidRequest("Field 'name' must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        }
        return name;
    }

    private static KindConfig parseConfig(ConnectionKind kind, ObjectNode json) {
        if (kind == null) throw ApiException.invalidRequest("Field 'kind' is required: " + ConnectionKind.listed() + ".");
        ObjectNode c = json == null ? Json.object() : json;
        Set<String> allowed = kind.spec().configFields();
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.equals("external_id")) throw ApiException.invalidRequest("The external id is generated by the platform and cannot be set.");
            if (SECRET_LOOKING.contains(f.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalidRequest("Field 'config." + f + "' looks like material; config is visible to every admin of the tenant. "
                        + "Send material to POST /api/connections/{id}/credential.");
            }
            if (!allowed.contains(f) && !COMMON.contains(f)) {
                throw ApiException.invalidRequest("Field 'config." + Text.sanitize(f, 64) + "' does not apply to kind " + kind.wire() + "; it takes " + allowed + " and " + COMMON + ".");
            }
        }
        if (c.has("ca_pem")) {
            if (!c.get("ca_pem").isTextual()) throw ApiException.invalidRequest("Field 'config.ca_pem' must be a PEM string.");
            Tls.certificates(c.get("ca_pem").asText(), "config.ca_pem");
        }
        if (c.has("timeout_seconds")) {
            JsonNode t = c.get("timeout_seconds");
            if (!t.canConvertToInt() || t.asInt() < 1 || t.asInt() > 120) throw ApiException.invalidRequest("Field 'config.timeout_seconds' must be an integer from 1 to 120.");
        }
        return kind.spec().config(c, KindConfig.Common.of(c));
    }
}
