package com.airotech.connect.gateway;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.metrics.Metrics;
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
        return o;
    }
}
