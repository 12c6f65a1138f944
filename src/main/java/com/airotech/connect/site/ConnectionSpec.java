package com.airotech.connect.site;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * An outbound connection of the site file (API.md §6), keyed by its name within the tenant: the
 * kind, the address and the non-secret config only. Material is entered afterwards, never here.
 */
public record ConnectionSpec(String name, String kind, String baseUrl, ObjectNode config, String probePath) {
    public static final List<String> KINDS = List.of("none", "api_key", "basic", "mtls", "oauth2", "aws_iam");

    public ConnectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("kind must be one of " + String.join(", ", KINDS));
        config = config == null ? null : config.deepCopy();
    }

    /** A copy of the config (the record must not hand out its mutable node). */
    @Override
    public ObjectNode config() { return config == null ? null : config.deepCopy(); }
}
