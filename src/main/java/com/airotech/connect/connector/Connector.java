package com.airotech.connect.connector;

import java.time.Instant;
import java.util.List;

/**
 * A connector as administration shows it: never any credential material. {@code credentialSha256}
 * is the SHA-256 of the current credential (so a holder can check it), {@code previousValidUntil}
 * the end of a running rotation grace.
 */
public record Connector(String connectorId, String tenantId, String systemName, String webhookUrl, AuthMethod authMethod,
                        List<String> eventTypes, int graceSeconds, String status, Instant createdAt, Instant revokedAt,
                        String credentialSha256, Instant credentialCreatedAt, Instant previousValidUntil,
                        String certificateSha256, Instant certificateNotAfter) {
    public Connector {
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
    }

    public boolean active() { return "active".equals(status); }
}
