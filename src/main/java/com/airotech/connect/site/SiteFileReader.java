package com.airotech.connect.site;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.airotech.connect.connector.AuthMethod;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a site file as a whole: every problem is reported with its line and column
 * (from Jackson's token locations), and a file with any problem yields no {@link SiteFile} at all,
 * so an import is never half-checked.
 */
public final class SiteFileReader {
    /** The tenant names TenantService accepts. */
    private static final Pattern TENANT_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");
    private static final Pattern FIELD_IN_MESSAGE = Pattern.compile("Field '([a-z_]+)'");
    /** Keys that would carry credential material: refused wherever they appear in a connection. */
    private static final Set<String> MATERIAL_KEYS = Set.of("api_key", "username", "password", "client_secret", "client_p12_base64",
            "client_p12_password", "role_arn", "secret", "token", "access_token", "refresh_token", "private_key_pem", "credential");
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Set<AuthMethod> supported;
    private final Map<String, JsonLocation> locations = new HashMap<>();
    private final List<SiteProblem> problems = new ArrayList<>();
    private String source = "site file";

    /** @param supported the auth methods this build can register; a connector with another is refused up front */
    public SiteFileReader(Set<AuthMethod> supported) {
        this.supported = Set.copyOf(supported);
    }

    public SiteFile read(String sourceName, byte[] content) {
        this.source = sourceName;
        locations.clear();
        problems.clear();
        JsonNode root;
        try (JsonParser p = FACTORY.createParser(content)) {
            if (p.nextToken() == null) {
                throw new SiteFileException(source, List.of(new SiteProblem(1, 1, "", "the file is empty; a site file is one JSON object (see sample-data/demo-site.json).")));
            }
            root = readValue(p, "");
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new SiteFileException(source, List.of(new SiteProblem(l.getLineNr(), l.getColumnNr(), "", "unexpected content after the site object; a site file holds exactly one JSON object.")));
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new SiteFileException(source, List.of(new SiteProblem(l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "",
                    "not valid JSON: " + Text.sanitize(e.getOriginalMessage(), 200))));
        } catch (IOException e) {
            throw new SiteFileException(source, List.of(new SiteProblem(0, 0, "", "cannot be read: " + e.getMessage())));
        }
        SiteFile site = site(root);
        if (!problems.isEmpty()) throw new SiteFileException(source, problems);
        return site;
    }

    // ------------------------------------------------------------------ a tree that remembers where each node was

    private JsonNode readValue(JsonParser p, String path) throws IOException {
        locations.put(path, p.currentTokenLocation());
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, readValue(p, path + "/" + name));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(readValue(p, path + "/" + i++));
                return a;
            }
            case VALUE_STRING -> { return f.textNode(p.getText()); }
            case VALUE_NUMBER_INT -> { return f.numberNode(p.getBigIntegerValue()); }
            case VALUE_NUMBER_FLOAT -> { return f.numberNode(p.getDecimalValue()); }
            case VALUE_TRUE -> { return f.booleanNode(true); }
            case VALUE_FALSE -> { return f.booleanNode(false); }
            case VALUE_NULL -> { return f.nullNode(); }
            default -> throw new IllegalStateException("unexpected token " + p.currentToken());
        }
    }

    /** A problem at a place of the file last read (for conflicts found after reading, against the stored site). */
    public SiteProblem problemAt(String path, String message) {
        String at = path;
        JsonLocation l = locations.get(at);
        while (l == null && at.contains("/")) {
            at = at.substring(0, at.lastIndexOf('/'));
            l = locations.get(at);
        }
        return new SiteProblem(l == null ? 1 : l.getLineNr(), l == null ? 1 : l.getColumnNr(), readable(path), message);
    }

    public String source() { return source; }

    private void problem(String path, String message) {
        problems.add(problemAt(path, message));
    }

    /** /tenants/0/connectors/2/auth_method → tenants[0].connectors[2].auth_method */
    private static String readable(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) continue;
            if (part.chars().allMatch(Character::isDigit)) b.append('[').append(part).append(']');
            else b.append(b.length() == 0 ? "" : ".").append(part);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ validation

    private SiteFile site(JsonNode root) {
        if (!root.isObject()) {
            problem("", "a site file is one JSON object with \"format\" and \"tenants\" (see sample-data/demo-site.json).");
            return null;
        }
        onlyKnown(root, "", Set.of("format", "tenants"));
        JsonNode format = root.get("format");
        if (format != null && !(format.isTextual() && format.asText().equals(SiteFile.FORMAT))) {
            problem("/format", "\"format\" must be \"" + SiteFile.FORMAT + "\" (the only format this version reads).");
        }
        JsonNode tenants = root.get("tenants");
        List<TenantSpec> out = new ArrayList<>();
        if (tenants == null || !tenants.isArray()) {
            problem(tenants == null ? "" : "/tenants", "\"tenants\" must be an array of tenants.");
            return null;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tenants.size(); i++) {
            TenantSpec t = tenant(tenants.get(i), "/tenants/" + i);
            if (t != null && !names.add(t.name())) problem("/tenants/" + i + "/name", "tenant \"" + t.name() + "\" is listed twice; list each tenant once.");
            if (t != null) out.add(t);
        }
        return new SiteFile(out);
    }

    private TenantSpec tenant(JsonNode n, String path) {
        if (!n.isObject()) {
            problem(path, "a tenant is an object with \"name\", \"connectors\" and \"connections\".");
            return null;
        }
        onlyKnown(n, path, Set.of("name", "connectors", "connections"));
        String name = text(n, path, "name", true);
        if (name != null && !TENANT_NAME.matcher(name).matches()) {
            problem(path + "/name", "a tenant name is 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        }
        // several connectors may share a system_name (the API allows it): the import pairs them with
        // the stored ones of that name in order of creation
        List<ConnectorSpec> connectors = new ArrayList<>();
        for (int i : indices(n, path, "connectors")) {
            ConnectorSpec c = connector(n.get("connectors").get(i), path + "/connectors/" + i);
            if (c != null) connectors.add(c);
        }
        List<ConnectionSpec> connections = new ArrayList<>();
        Set<String> connNames = new HashSet<>();
        for (int i : indices(n, path, "connections")) {
            String p = path + "/connections/" + i;
            ConnectionSpec c = connection(n.get("connections").get(i), p);
            if (c != null && !connNames.add(c.name())) {
                problem(p + "/name", "connection \"" + c.name() + "\" is listed twice in this tenant; each connection needs its own name.");
            }
            if (c != null) connections.add(c);
        }
        return name == null ? null : new TenantSpec(name, connectors, connections);
    }

    private List<Integer> indices(JsonNode n, String path, String field) {
        JsonNode a = n.get(field);
        if (a == null || a.isNull()) return List.of();
        if (!a.isArray()) {
            problem(path + "/" + field, "\"" + field + "\" must be an array.");
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) out.add(i);
        return out;
    }

    private ConnectorSpec connector(JsonNode n, String path) {
        if (!n.isObject()) {
            problem(path, "a connector is an object with \"system_name\" and \"auth_method\".");
            return null;
        }
        onlyKnown(n, path, Set.of("system_name", "auth_method", "event_types", "webhook_url", "grace_seconds"));
        int before = problems.size();
        String systemName = text(n, path, "system_name", true);
        String method = text(n, path, "auth_method", true);
        String webhookUrl = text(n, path, "webhook_url", false);
        AuthMethod m = null;
        if (method != null) {
            try {
                m = AuthMethod.fromWire(method);
                if (!supported.contains(m)) {
                    problem(path + "/auth_method", "auth_method \"" + method + "\" is not available in this build; available: "
                            + supported.stream().map(AuthMethod::wire).sorted().toList() + ".");
                }
            } catch (ApiException e) {
                problem(path + "/auth_method", e.getMessage());
            }
        }
        List<String> types = null;
        JsonNode et = n.get("event_types");
        if (et != null && !et.isNull()) {
            if (!et.isArray() || et.isEmpty()) {
                problem(path + "/event_types", "\"event_types\" must be an array of at least one event type name (or left out to allow any).");
            } else {
                types = new ArrayList<>();
                for (int i = 0; i < et.size(); i++) {
                    JsonNode t = et.get(i);
                    if (!t.isTextual() || !com.airotech.connect.connector.RegistrationRequest.isEventType(t.asText())) {
                        problem(path + "/event_types/" + i, "an event type matches ^[a-z0-9][a-z0-9_-]{0,63}$ (e.g. \"door_open\").");
                    } else {
                        types.add(t.asText());
                    }
                }
            }
        }
        int grace = com.airotech.connect.connector.RegistrationRequest.DEFAULT_GRACE_SECONDS;
        JsonNode g = n.get("grace_seconds");
        if (g != null && !g.isNull()) {
            if (!g.isIntegralNumber() || !g.canConvertToInt()) problem(path + "/grace_seconds", "\"grace_seconds\" must be a whole number of seconds.");
            else grace = g.asInt();
        }
        if (problems.size() > before || m == null || systemName == null) return null;
        try {
            return new ConnectorSpec(systemName, m, webhookUrl, types, grace);
        } catch (ApiException e) {
            Matcher f = FIELD_IN_MESSAGE.matcher(e.getMessage());
            problem(f.find() ? path + "/" + f.group(1) : path, e.getMessage());
            return null;
        }
    }

    private ConnectionSpec connection(JsonNode n, String path) {
        if (!n.isObject()) {
            problem(path, "a connection is an object with \"name\", \"kind\" and \"base_url\".");
            return null;
        }
        int before = problems.size();
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (MATERIAL_KEYS.contains(f)) problem(path + "/" + f, materialMessage(f));
        }
        onlyKnown(n, path, Set.of("name", "kind", "base_url", "config", "probe_path"));
        String name = text(n, path, "name", true);
        if (name != null && (name.isBlank() || name.length() > 128 || !Text.isPrintable(name))) {
            problem(path + "/name", "a connection name is 1-128 printable characters.");
        }
        String kind = text(n, path, "kind", true);
        if (kind != null && !ConnectionSpec.KINDS.contains(kind)) {
            problem(path + "/kind", "\"kind\" must be one of " + String.join(", ", ConnectionSpec.KINDS) + ".");
        }
        String baseUrl = text(n, path, "base_url", !"aws_iam".equals(kind));
        if (baseUrl != null && !isHttpUrl(baseUrl)) {
            problem(path + "/base_url", "\"base_url\" must be an absolute http or https URL without user info.");
        }
        String probePath = text(n, path, "probe_path", false);
        if (probePath != null && !probePath.startsWith("/")) problem(path + "/probe_path", "\"probe_path\" must start with '/'.");
        ObjectNode config = null;
        JsonNode c = n.get("config");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                problem(path + "/config", "\"config\" must be an object of non-secret settings.");
            } else {
                config = (ObjectNode) c;
                for (var it = c.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (MATERIAL_KEYS.contains(f)) problem(path + "/config/" + f, materialMessage(f));
                }
            }
        }
        if (problems.size() > before || name == null || kind == null) return null;
        return new ConnectionSpec(name, kind, baseUrl, config, probePath);
    }

    private static String materialMessage(String field) {
        return "\"" + field + "\" is credential material, which a site file never holds; remove it and enter it after the import "
                + "(console, or POST /api/connections/{id}/credential).";
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return u.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && u.getRawUserInfo() == null
                    && u.getHost() != null && !u.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private String text(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(path, "\"" + field + "\" is required here.");
            return null;
        }
        if (!v.isTextual()) {
            problem(path + "/" + field, "\"" + field + "\" must be a string.");
            return null;
        }
        return v.asText();
    }

    private void onlyKnown(JsonNode n, String path, Set<String> known) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f) && !MATERIAL_KEYS.contains(f)) {
                problem(path + "/" + f, "unknown field \"" + f + "\"; expected " + known.stream().sorted().toList() + ".");
            }
        }
    }

    /** The site file as JSON text, in the form export writes and import reads. */
    public static String write(SiteFile site) {
        ObjectNode root = Json.object().put("format", SiteFile.FORMAT);
        ArrayNode tenants = root.putArray("tenants");
        for (TenantSpec t : site.tenants()) {
            ObjectNode tn = tenants.addObject().put("name", t.name());
            ArrayNode cs = tn.putArray("connectors");
            for (ConnectorSpec c : t.connectors()) {
                ObjectNode o = cs.addObject().put("system_name", c.systemName()).put("auth_method", c.authMethod().wire());
                if (c.eventTypes() != null) c.eventTypes().forEach(o.putArray("event_types")::add);
                if (c.webhookUrl() != null) o.put("webhook_url", c.webhookUrl());
                o.put("grace_seconds", c.graceSeconds());
            }
            ArrayNode conns = tn.putArray("connections");
            for (ConnectionSpec c : t.connections()) {
                ObjectNode o = conns.addObject().put("name", c.name()).put("kind", c.kind());
                if (c.baseUrl() != null) o.put("base_url", c.baseUrl());
                if (c.config() != null) o.set("config", c.config());
                if (c.probePath() != null) o.put("probe_path", c.probePath());
            }
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the site file", e);
        }
    }
}
