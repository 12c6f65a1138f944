package com.airotech.connect.ingest;

import com.airotech.connect.common.ApiException;
import java.time.Instant;

/**
 * Filters for a page of a tenant's events: oldest first, or newest first ({@code newestFirst},
 * {@code order=desc}). The cursor is the {@code seq} of the last event of the previous page; the next
 * page continues after it in the page's own order.
 */
public record EventQuery(String type, String connectorId, Instant since, int limit, Long afterSeq, boolean newestFirst) {
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw ApiException.invalidRequest("Field 'limit' must be between 1 and " + MAX_LIMIT + ".");
    }

    /** Oldest first. */
    public EventQuery(String type, String connectorId, Instant since, int limit, Long afterSeq) {
        this(type, connectorId, since, limit, afterSeq, false);
    }

    /** {@code asc} (the default) or {@code desc}, as {@code GET /api/events?order=} takes it. */
    public static boolean newestFirst(String order) {
        if (order == null || order.equals("asc")) return false;
        if (order.equals("desc")) return true;
        throw ApiException.invalidRequest("Query parameter 'order' must be 'asc' (oldest first, the default) or 'desc' (newest first).");
    }
}
