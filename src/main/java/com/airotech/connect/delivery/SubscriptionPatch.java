package com.airotech.connect.delivery;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * What a {@code PATCH} changes: {@code enabled}, {@code name}, {@code event_types},
 * {@code source_connectors} (null there means "any" again). Absent fields stay as they are.
 */
public record SubscriptionPatch(String name, Boolean enabled, boolean setsEventTypes, List<String> eventTypes,
                                boolean setsSourceConnectors, List<String> sourceConnectors) {
    private static final Set<String> FIELDS = Set.of("name", "enabled", "event_types", "source_connectors");

    public SubscriptionPatch {
        if (name != null) name = NewSubscription.name(name);
        eventTypes = setsEventTypes ? NewSubscription.eventTypes(eventTypes) : null;
        sourceConnectors = setsSourceConnectors ? NewSubscription.connectors(sourceConnectors) : null;
    }

    public static SubscriptionPatch enable(boolean on) { return new SubscriptionPatch(null, on, false, null, false, null); }

    public static SubscriptionPatch fromJson(ObjectNode body) {
        if (body == null || body.isEmpty()) throw ApiException.invalidRequest("Send the fields to change: enabled, name, event_types, source_connectors.");
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiException.invalidRequest("Field '" + Text.sanitize(f, 40) + "' cannot be changed; PATCH takes " + FIELDS
                        + " (a new target is a new subscription).");
            }
        });
        JsonNode en = body.get("enabled");
        if (en != null && !en.isBoolean()) throw ApiException.invalidRequest("Field 'enabled' must be true or false.");
        JsonNode nm = body.get("name");
        if (nm != null && !nm.isTextual()) throw ApiException.invalidRequest("Field 'name' must be a string.");
        return new SubscriptionPatch(nm == null ? null : nm.asText(), en == null ? null : en.asBoolean(),
                body.has("event_types"), NewSubscription.list(body, "event_types"),
                body.has("source_connectors"), NewSubscription.list(body, "source_connectors"));
    }
}
