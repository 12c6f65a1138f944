package com.airotech.connect.delivery;

import java.time.Instant;
import java.util.List;

/**
 * A subscription as stored: what it sends (filters), where (target), whether it runs, and where its
 * cursor stands. Never any secret: {@code secretSha256} is the SHA-256 of the current signing secret
 * (so its holder can check it), {@code previousSecretValidUntil} the end of a rotation's grace.
 */
public record Subscription(String tenantId, String subscriptionId, String name, List<String> eventTypes, List<String> sourceConnectors,
                           Target target, boolean enabled, String disabledReason, Instant disabledAt, long startSeq, long cursorSeq,
                           Instant failingSince, Instant lastSuccessAt, Instant lastFailureAt, String lastError, long deliveredTotal,
                           Instant createdAt, Instant updatedAt, String secretSha256, Instant previousSecretValidUntil) {
    public Subscription {
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
        sourceConnectors = sourceConnectors == null ? null : List.copyOf(sourceConnectors);
    }

    /** True when an event of this type from this connector is one this subscription sends. */
    public boolean matches(String eventType, String connectorId) {
        return (eventTypes == null || eventTypes.contains(eventType)) && (sourceConnectors == null || sourceConnectors.contains(connectorId));
    }

    /** healthy, failing (its target has failed since {@code failingSince}) or disabled. */
    public String health() {
        if (!enabled) return "disabled";
        return failingSince == null ? "healthy" : "failing";
    }
}
