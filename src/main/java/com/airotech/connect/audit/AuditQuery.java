package com.airotech.connect.audit;

import com.airotech.connect.common.ApiException;
import java.time.Instant;

/** Filters for a page of a tenant's audit trail; every field but the limit is optional. */
public record AuditQuery(Instant from, Instant to, String action, String actor, String target, String text, int limit, Long afterSeq) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw ApiException.invalidRequest("Field 'limit' must be between 1 and " + MAX_LIMIT + ".");
        if (from != null && to != null && to.isBefore(from)) throw ApiException.invalidRequest("Field 'to' must not be before 'from'.");
    }

    public static AuditQuery firstPage(int limit) { return new AuditQuery(null, null, null, null, null, null, limit, null); }
}
