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

    /** The entry as the API and the command line show it: {@code {"id","at","actor","action","target","detail"}}. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.airotech.connect.common.Json.object().put("id", id)
                .put("at", com.airotech.connect.common.Times.format(at)).put("actor", actor).put("action", action);
        if (target == null) o.putNull("target"); else o.put("target", target);
        o.set("detail", detail);
        return o;
    }
}
