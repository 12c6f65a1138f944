package com.airotech.connect.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/** One entry of a tenant's audit trail. Never holds credential material. */
public record AuditEntry(String id, Instant at, String actor, String action, String target, JsonNode detail) {
    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }
}
