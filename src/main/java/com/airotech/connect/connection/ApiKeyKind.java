package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Kind {@code api_key}: a key sent in a header (X-Api-Key by default) or a query parameter. */
public final class ApiKeyKind implements Kind {
    private static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$");
    private static final Pattern PARAM = Pattern.compile("^[A-Za-z0-9._~-]{1,64}$");

    /** Exactly one of {@code header} and {@code queryParam} is set. */
    public record Config(Common common, String header, String queryParam) implements KindConfig {
        @Override public void fields(ObjectNode o) {
            if (queryParam != null) o.put("query_param", queryParam); else o.put("header", header);
        }
    }

    public record Key(Secret key) implements Material {
        @Override public void fields(ObjectNode o) { o.put("api_key", key.utf8()); }
    }

    @Override public Set<String> configFields() { return Set.of("header", "query_param"); }

    @Override public KindConfig config(ObjectNode c, KindConfig.Common common) {
        if (c.has("header") && c.has("query_param")) throw ApiException.invalidRequest("Give either 'config.header' or 'config.query_param', not both.");
        if (c.has("query_param")) {
            if (!PARAM.matcher(c.get("query_param").asText()).matches()) throw ApiException.invalidRequest("Field 'config.query_param' must be a plain parameter name.");
            return new Config(common, null, c.get("query_param").asText());
        }
        String h = c.has("header") ? c.get("header").asText() : "X-Api-Key";
        if (!HEADER.matcher(h).matches() || Set.of("host", "content-length", "connection", "cookie").contains(h.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalidRequest("Field 'config.header' must be an HTTP header name such as X-Api-Key.");
        }
        return new Config(common, h, null);
    }

    @Override public Detail missing() { return new Detail.NeedsMaterial(); }

    @Override public Material material(ObjectNode body) {
        Kind.only(body, Set.of("api_key"));
        String key = Kind.required(body, "api_key", 4096);
        // it travels in a header (or a query string): anything else would fail at the first call, echoing the key
        if (!Text.isVisibleAscii(key)) {
            throw ApiException.invalidRequest("Field 'api_key' must be visible ASCII characters only (no spaces, no characters outside ASCII): "
                    + "an HTTP header cannot carry others. Check that the whole key was copied, and nothing else.");
        }
        return new Key(Secret.ofUtf8(key));
    }

    @Override public Material decode(JsonNode stored) { return new Key(Kind.secret(stored, "api_key")); }

    @Override public Injector injector(KindConfig config, Material material, Secret bearer) {
        Config c = (Config) config;
        Secret key = ((Key) material).key();
        return c.queryParam() != null ? queryKey(c.queryParam(), key) : Injector.header(c.header() == null ? "X-Api-Key" : c.header(), key);
    }

    private static Injector queryKey(String param, Secret key) {
        return new Injector() {
            @Override
            public URI target(URI uri) {
                String add = URLEncoder.encode(param, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(key.utf8(), StandardCharsets.UTF_8);
                String q = uri.getRawQuery();
                String s = uri.toString();
                int hash = s.indexOf('#');
                if (hash >= 0) s = s.substring(0, hash);
                return URI.create(s + (q == null ? "?" : "&") + add);
            }

            @Override
            public String scrub(String text) {
                return Injector.scrubbed(Injector.scrubbed(text, key.utf8()), URLEncoder.encode(key.utf8(), StandardCharsets.UTF_8));
            }
        };
    }
}
