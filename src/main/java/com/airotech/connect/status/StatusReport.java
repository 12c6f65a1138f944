package com.airotech.connect.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@code GET /api/status} shows: the tenant's own counts, and the gateway-wide pipeline
 * (outbox, Kafka, writer) that every tenant's events share. No tenant sees another's numbers.
 */
public record StatusReport(String tenantId, long tenantEvents, long tenantOutboxDepth,
                           long outboxDepth, Duration oldestUnpublishedAge, String kafkaState, String kafkaBootstrap,
                           String kafkaLastError, long kafkaPublishedTotal, Instant kafkaLastPublishedAt,
                           int writerQueueDepth, Instant at) {
    public StatusReport {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(kafkaState, "kafkaState");
        Objects.requireNonNull(oldestUnpublishedAge, "oldestUnpublishedAge");
        Objects.requireNonNull(at, "at");
    }
}
