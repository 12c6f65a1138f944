package com.airotech.connect.delivery;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Text;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.RegistrationRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A subscription to create, validated: a name, optional filters, one target, enabled or not, and
 * where it starts: {@code now} (the default: only events stored from now on), {@code earliest}
 * (every stored event), or a time (events received since then).
 */
public record NewSubscription(String name, List<String> eventTypes, List<String> sourceConnectors, Target target, boolean enabled,
                              StartFrom startFrom) {
    /** Where a new subscription's cursor starts. */
    public record StartFrom(boolean earliest, Instant since) {
        public static final StartFrom NOW = new StartFrom(false, null);
        public static final StartFrom EARLIEST = new StartFrom(true, null);
    }

    private static final Set<String> FIELDS = Set.of("name", "event_types", "source_connectors", "target", "enabled", "start_from");

    public NewSubscription {
        name = name(name);
        eventTypes = eventTypes(eventTypes);
        sourceConnectors = connectors(sourceConnectors);
        if (target == null) throw ApiException.invalidRequest("Field 'target' is required: {\"connector_id\"} or {\"connection_id\",\"path\"}.");
        if (startFrom == null) startFrom = StartFrom.NOW;
    }

    public static NewSubscription fromJson(ObjectNode body) {
        if (body == null) throw ApiException.invalidRequest("Send the subscription as a JSON object.");
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) throw ApiException.invalidRequest("Field '" + Text.sanitize(f, 40) + "' is not a subscription field; known fields: " + FIELDS + ".");
        });
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) throw ApiException.invalidRequest("Field 'enabled' must be true or false.");
        return new NewSubscription(text(body, "name"), list(body, "event_types"), list(body, "source_connectors"), target(body.get("target")),
                enabled == null || enabled.isNull() || enabled.asBoolean(), startFrom(body.get("start_from")));
    }

    static StartFrom startFrom(JsonNode n) {
        if (n == null || n.isNull()) return StartFrom.NOW;
        if (!n.isTextual()) throw ApiException.invalidRequest("Field 'start_from' must be \"now\", \"earliest\" or an ISO-8601 time.");
        String s = n.asText();
        if (s.equals("now")) return StartFrom.NOW;
        if (s.equals("earliest")) return StartFrom.EARLIEST;
        return new StartFrom(false, Times.parse(s, "start_from"));
    }

    static Target target(JsonNode t) {
        if (t == null || t.isNull()) return null;
        if (!t.isObject()) throw ApiException.invalidRequest("Field 'target' must be an object: {\"connector_id\"} or {\"connection_id\",\"path\",\"method\"}.");
        boolean connector = t.has("connector_id");
        boolean connection = t.has("connection_id");
        if (connector == connection) {
            throw ApiException.invalidRequest("Field 'target' names exactly one of 'connector_id' (its webhook_url) or 'connection_id' (with 'path').");
        }
        if (connector) {
            if (t.size() != 1) throw ApiException.invalidRequest("A connector target takes only 'connector_id' (deliveries go to its webhook_url).");
            return new Target.ToConnector(id(t.get("connector_id"), "target.connector_id", "cn_"));
        }
        t.fieldNames().forEachRemaining(f -> {
            if (!Set.of("connection_id", "path", "method").contains(f)) {
                throw ApiException.invalidRequest("A connection target takes 'connection_id', 'path' and optionally 'method', not '" + Text.sanitize(f, 40) + "'.");
            }
        });
        String path = t.path("path").isTextual() ? t.get("path").asText() : null;
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("\\") || path.contains("#") || path.length() > 2048
                || !Text.isPrintable(path) || path.contains(" ")) {
            throw ApiException.invalidRequest("Field 'target.path' must be a path on the connection's host, starting with '/' (e.g. /api/events).");
        }
        String method = t.path("method").isTextual() ? t.get("method").asText().toUpperCase(java.util.Locale.ROOT) : null;
        if (t.has("method") && (method == null || !Target.ToConnection.METHODS.contains(method))) {
            throw ApiException.invalidRequest("Field 'target.method' must be one of POST, PUT or PATCH.");
        }
        return new Target.ToConnection(id(t.get("connection_id"), "target.connection_id", "cx_"), path, method);
    }

    private static String id(JsonNode n, String field, String prefix) {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) throw ApiException.invalidRequest("Field '" + field + "' must be a " + prefix + "… id.");
        String s = n.asText();
        if (s.length() > 64 || !Text.isPrintable(s)) throw ApiException.invalidRequest("Field '" + field + "' must be a " + prefix + "… id.");
        return s;
    }

    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiException.invalidRequest("Field '" + field + "' must be a string.");
        return n.asText();
    }

    /** A JSON array of strings, or null when absent or null (meaning: any). */
    static List<String> list(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw ApiException.invalidRequest("Field '" + field + "' must be an array of strings (or null for any).");
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) throw ApiException.invalidRequest("Field '" + field + "' must be an array of strings.");
            out.add(x.asText());
        }
        return out;
    }

    static String name(String name) {
        if (name == null || name.isBlank()) throw ApiException.invalidRequest("Field 'name' is required (1-100 printable characters).");
        String n = name.strip();
        if (n.length() > 100 || !Text.isPrintable(n)) throw ApiException.invalidRequest("Field 'name' must be 1-100 printable characters.");
        return n;
    }

    static List<String> eventTypes(List<String> types) {
        if (types == null) return null;
        if (types.isEmpty() || types.size() > 100) throw ApiException.invalidRequest("Field 'event_types' holds 1-100 types, or is left out (any type).");
        for (String t : types) {
            if (t == null || !RegistrationRequest.EVENT_TYPE.matcher(t).matches()) {
                throw ApiException.invalidRequest("Field 'event_types' holds an invalid type; each must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
            }
        }
        return List.copyOf(new LinkedHashSet<>(types));
    }

    static List<String> connectors(List<String> ids) {
        if (ids == null) return null;
        if (ids.isEmpty() || ids.size() > 100) throw ApiException.invalidRequest("Field 'source_connectors' holds 1-100 connector ids, or is left out (any connector).");
        for (String id : ids) {
            if (id == null || id.isEmpty() || id.length() > 64 || !Text.isPrintable(id)) {
                throw ApiException.invalidRequest("Field 'source_connectors' must hold cn_… connector ids.");
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }
}
