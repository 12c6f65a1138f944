package com.airotech.connect.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a tenant's audit trail. Never holds credential material. {@code chain} is its place
 * in the tenant's hash chain when it was read for an export (null elsewhere): what an auditor needs
 * to check it offline.
 */
public record AuditEntry(String id, Instant at, String actor, String action, String target, JsonNode detail, Chain chain) {
    /**
     * The entry's link: {@code hash} = HMAC-SHA256 (keyed) or SHA-256 (written before the chain was
     * keyed) of {@code prevHash + "\n" + canonical}, canonical being the compact JSON array
     * {@code [tenantId, n, id, atMillis, actor, action, target, detailText]}.
     */
    public record Chain(String tenantId, long n, long atMillis, String detailText, String prevHash, String hash, boolean keyed) {}

    public AuditEntry(String id, Instant at, String actor, String action, String target, JsonNode detail) {
        this(id, at, actor, action, target, detail, null);
    }

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
