package com.airotech.connect.ingest;

import com.airotech.connect.common.ApiException;
import java.time.Instant;

/** Filters for a page of a tenant's events, oldest first. */
public record EventQuery(String type, String connectorId, Instant since, int limit, Long afterSeq) {
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw ApiException.invalidRequest("Field 'limit' must be between 1 and " + MAX_LIMIT + ".");
    }
}
