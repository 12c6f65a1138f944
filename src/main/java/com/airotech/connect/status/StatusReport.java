package com.airotech.connect.status;

import com.airotech.connect.retention.RetentionStatus;
import com.airotech.connect.retention.StorageHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@code GET /api/status} shows: the tenant's own counts and retention, and the gateway-wide
 * pipeline (outbox, Kafka, writer) and storage that every tenant's events share. No tenant sees
 * another's numbers.
 */
public record StatusReport(String tenantId, long tenantEvents, long tenantOutboxDepth,
                           long outboxDepth, Duration oldestUnpublishedAge, String kafkaState, String kafkaBootstrap,
                           String kafkaLastError, long kafkaPublishedTotal, Instant kafkaLastPublishedAt,
                           int writerQueueDepth, Instant at,
                           StorageHealth.Snapshot storage, RetentionStatus retention) {
    public StatusReport {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(kafkaState, "kafkaState");
        Objects.requireNonNull(oldestUnpublishedAge, "oldestUnpublishedAge");
        Objects.requireNonNull(at, "at");
    }

    /** Without storage health and retention (null: not known to whoever built the report). */
    public StatusReport(String tenantId, long tenantEvents, long tenantOutboxDepth,
                        long outboxDepth, Duration oldestUnpublishedAge, String kafkaState, String kafkaBootstrap,
                        String kafkaLastError, long kafkaPublishedTotal, Instant kafkaLastPublishedAt,
                        int writerQueueDepth, Instant at) {
        this(tenantId, tenantEvents, tenantOutboxDepth, outboxDepth, oldestUnpublishedAge, kafkaState, kafkaBootstrap, kafkaLastError,
                kafkaPublishedTotal, kafkaLastPublishedAt, writerQueueDepth, at, null, null);
    }

    /** The same report with the storage's health and the tenant's retention. */
    public StatusReport withStorage(StorageHealth.Snapshot s, RetentionStatus r) {
        return new StatusReport(tenantId, tenantEvents, tenantOutboxDepth, outboxDepth, oldestUnpublishedAge, kafkaState, kafkaBootstrap,
                kafkaLastError, kafkaPublishedTotal, kafkaLastPublishedAt, writerQueueDepth, at, s, r);
    }
}
