package com.airotech.connect.status;

import com.airotech.connect.bus.KafkaState;
import com.airotech.connect.bus.Outbox;
import com.airotech.connect.bus.OutboxRelay;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.Principal;
import java.time.Clock;
import java.time.Duration;

/** Builds the status report; the outbox and relay are null when Kafka is off. */
public final class StatusService {
    private final IngestService ingest;
    private final Database db;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final String kafkaBootstrap;
    private final Clock clock;

    public StatusService(IngestService ingest, Database db, Outbox outbox, OutboxRelay relay, String kafkaBootstrap, Clock clock) {
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
