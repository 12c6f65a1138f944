package com.airotech.connect.status;

import com.airotech.connect.bus.KafkaState;
import com.airotech.connect.bus.Outbox;
import com.airotech.connect.bus.OutboxRelay;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.retention.Pruner;
import com.airotech.connect.retention.RetentionService;
import com.airotech.connect.retention.RetentionStatus;
import com.airotech.connect.retention.StorageHealth;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.Principal;
import java.time.Clock;
import java.time.Duration;

/** Builds the status report; the outbox and relay are null when Kafka is off. Cheap at any size: no count scans the event log. */
public final class StatusService {
    private final IngestService ingest;
    private final Database db;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final String kafkaBootstrap;
    private final Clock clock;

    private final StorageHealth storage;
    private final RetentionService retention;
    private final Pruner pruner;

    public StatusService(IngestService ingest, Database db, Outbox outbox, OutboxRelay relay, String kafkaBootstrap, Clock clock) {
        this(ingest, db, outbox, relay, kafkaBootstrap, clock, null, null, null);
    }

    /** With the storage's health and retention (the pruner may be null where none runs, as in one-shot commands). */
    public StatusService(IngestService ingest, Database db, Outbox outbox, OutboxRelay relay, String kafkaBootstrap, Clock clock,
                         StorageHealth storage, RetentionService retention, Pruner pruner) {
        this.storage = storage;
        this.retention = retention;
        this.pruner = pruner;
        this.ingest = ingest;
        this.db = db;
        this.outbox = outbox;
        this.relay = relay;
        this.kafkaBootstrap = kafkaBootstrap;
        this.clock = clock;
    }

    /** What a tenant sees ({@code GET /api/status}): Kafka's state, never the client's error text. */
    public StatusReport report(Principal p) { return report(p, false); }

    /** What the operator sees (the console): the same, with the Kafka client's last error as it was. */
    public StatusReport operatorReport(Principal p) { return report(p, true); }

    /** Said to tenants instead of the client's error, which can name other tenants' topics and the broker's internals. */
    static final String TENANT_KAFKA_ERROR = "Kafka cannot take events right now; they wait in the outbox and are retried. "
            + "The operator log has the details.";

    private StatusReport report(Principal p, boolean operator) {
        StatusReport r = pipeline(p, operator);
        if (storage == null || retention == null) return r;
        RetentionStatus rs = RetentionStatus.of(retention.policy(p.tenantId()), retention.totals(p.tenantId()), ingest.oldestStored(p),
                pruner == null ? null : pruner.lastRoundAt());
        return r.withStorage(storage.snapshot(), rs);
    }

    private StatusReport pipeline(Principal p, boolean operator) {
        long events = ingest.count(p);
        if (outbox == null || relay == null) {
            return new StatusReport(p.tenantId(), events, 0, 0, Duration.ZERO, KafkaState.OFF.wire(), null, null, 0, null,
                    db.queueDepth(), clock.instant());
        }
        Outbox.Stats s = outbox.stats();
        String error = relay.lastError();
        if (error != null && !operator) error = TENANT_KAFKA_ERROR;
        return new StatusReport(p.tenantId(), events, outbox.depth(p.tenantId()), s.depth(), s.oldestAge(), relay.state().wire(),
                kafkaBootstrap, error, relay.publishedTotal(), relay.lastPublishedAt(), db.queueDepth(), clock.instant());
    }
}
