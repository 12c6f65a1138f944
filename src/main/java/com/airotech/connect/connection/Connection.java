package com.airotech.connect.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A connection as stored and shown: identity, kind, target, non-secret config and status. Never
 * any material: that is in the secret store, under {@code currentVersion}.
 */
public record Connection(String tenantId, String connectionId, String name, ConnectionKind kind, String baseUrl, ObjectNode config,
                         String probePath, String externalId, String secretBackend, Integer currentVersion, Integer stagedVersion,
                         ConnectionStatus status, String statusDetail, Instant lastProbeAt, Instant createdAt, Instant updatedAt) {
    public Connection {
        Objects.requireNonNull(tenantId);
        Objects.requireNonNull(connectionId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(status);
        config = config == null ? com.airotech.connect.common.Json.object() : config.deepCopy();
    }

    public String text(String field) {
        JsonNode n = config.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
