package com.airotech.connect.gateway;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.metrics.Metrics;
import com.airotech.connect.retention.RetentionStatus;
import com.airotech.connect.retention.StorageHealth;
import com.airotech.connect.status.StatusReport;
import com.airotech.connect.status.StatusService;
import com.airotech.connect.tenant.TenantService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/status} (admin token; the tenant's counts and the shared pipeline) and
 * {@code GET /metrics} (Prometheus text; no tenant, connector or address in any label, so it
 * is served without a token like any scrape target — bind the gateway accordingly).
 */
public final class OpsRoutes {
    private OpsRoutes() {}

    public static List<Gateway.Route> routes(TenantService tenants, StatusService status, Metrics metrics) {
        return List.of(
                new Gateway.Route("GET", "/api/status", new AdminEndpoint(tenants, false, 0, (ex, p, b) -> Reply.ok(toJson(status.report(p))))),
                new Gateway.Route("GET", "/metrics", ex -> {
                    if (ex.isInIoThread()) {
                        ex.dispatch(() -> scrape(ex, metrics));
                        return;
                    }
                    scrape(ex, metrics);
                }));
    }

    private static void scrape(HttpServerExchange ex, Metrics metrics) {
        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Metrics.CONTENT_TYPE);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(ByteBuffer.wrap(text));
    }

    static ObjectNode toJson(StatusReport r) {
        ObjectNode o = Json.object().put("tenant_id", r.tenantId()).put("at", Times.format(r.at()));
        o.putObject("tenant").put("events", r.tenantEvents()).put("outbox_depth", r.tenantOutboxDepth());
        ObjectNode g = o.putObject("gateway");
        g.put("writer_queue_depth", r.writerQueueDepth());
        g.putObject("outbox").put("depth", r.outboxDepth()).put("oldest_unpublished_age_seconds", r.oldestUnpublishedAge().toMillis() / 1000.0);
        ObjectNode k = g.putObject("kafka").put("state", r.kafkaState());
        if (r.kafkaBootstrap() == null) k.putNull("bootstrap"); else k.put("bootstrap", r.kafkaBootstrap());
        if (r.kafkaLastError() == null) k.putNull("last_error"); else k.put("last_error", r.kafkaLastError());
        k.put("published_total", r.kafkaPublishedTotal());
        if (r.kafkaLastPublishedAt() == null) k.putNull("last_published_at"); else k.put("last_published_at", Times.format(r.kafkaLastPublishedAt()));
        if (r.storage() != null) g.set("storage", storageJson(r.storage()));
        if (r.retention() != null) ((ObjectNode) o.get("tenant")).set("retention", retentionJson(r.retention(), r.at()));
        return o;
    }

    /** Disk full (writes refused), below the disk floor (forced pruning) and at capacity (queue full) are told apart. */
    static ObjectNode storageJson(StorageHealth.Snapshot s) {
        return Json.object().put("state", s.state()).put("disk_full", s.diskFull()).put("below_disk_floor", s.belowFloor())
                .put("at_capacity", s.atCapacity()).put("data_dir_bytes", s.dataDirBytes()).put("database_bytes", s.databaseBytes())
                .put("wal_bytes", s.walBytes()).put("reusable_bytes", s.reusableBytes()).put("free_bytes", s.freeBytes())
                .put("total_bytes", s.totalBytes()).put("free_percent", Math.round(s.freePercent() * 10) / 10.0)
                .put("min_free_disk_percent", s.minFreeDiskPercent());
    }

    static ObjectNode retentionJson(RetentionStatus r, java.time.Instant now) {
        ObjectNode o = Json.object().put("max_age_days", r.maxAgeDays());
        time(o, "oldest_event_at", r.oldestEventAt());
        time(o, "last_prune_at", r.lastPruneAt());
        o.put("events_pruned", r.eventsPruned()).put("forced_pruned", r.forcedPruned()).put("forced_held_released", r.forcedHeldReleased());
        time(o, "last_forced_at", r.lastForcedAt());
        // set on an upgraded database: pruning by age waits a day, so a longer retention can be set first
        time(o, "age_pruning_from", r.agePruningFrom().isAfter(now) ? r.agePruningFrom() : null);
        time(o, "last_round_at", r.lastRoundAt());
        return o;
    }

    private static void time(ObjectNode o, String field, java.time.Instant t) {
        if (t == null) o.putNull(field); else o.put(field, Times.format(t));
    }
}
