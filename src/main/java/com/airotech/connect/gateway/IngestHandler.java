package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.LogSafe;
import com.airotech.connect.common.ReportThrottle;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.ingest.IngestResult;
import com.airotech.connect.ingest.IngestService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/events/ingest/{tenant_id}/{connector_id}}. Authentication runs on headers first
 * (on the I/O thread when the connector is cached, else on a worker); only then is the body read,
 * without blocking, and handed to the group-commit writer. The response is sent when the event's
 * transaction has committed.
 */
final class IngestHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);

    private final IngestService ingest;
    private final long maxBody;

    IngestHandler(IngestService ingest, long maxBody) {
        this.ingest = ingest;
        this.maxBody = maxBody;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        PathTemplateMatch m = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String tenantId = m.getParameters().get("tenant");
        String connectorId = m.getParameters().get("connector");
        if (ex.isInIoThread() && !ingest.canBeginWithoutDatabase(tenantId, connectorId)) {
            ex.dispatch(this);
            return;
        }
        IngestService.Pending pending;
        try {
            pending = ingest.begin(tenantId, connectorId, new UndertowInboundRequest(ex));
        } catch (ApiException e) {
            Http.closeAfterResponse(ex, maxBody);
            Http.error(ex, e);
            return;
        }
        try {
            Http.requireJson(ex);
            Http.checkDeclaredLength(ex, maxBody);
        } catch (ApiException e) {
            ingest.rejectedEarly(tenantId, connectorId, e, pending.sourceAddress());
            Http.closeAfterResponse(ex, maxBody);
            Http.error(ex, e);
            return;
        }
        if (ex.getRequestContentLength() >= 0) {
            ex.getRequestReceiver().receiveFullBytes(
                    (exchange, body) -> exchange.dispatch(SameThreadExecutor.INSTANCE, () -> store(exchange, pending, body)),
                    (exchange, err) -> readFailed(exchange, pending, tenantId, connectorId, err));
        } else {
            // chunked: count as it arrives; past the limit keep reading (and dropping) to the end, so the
            // sender is still reading when the 413 comes instead of seeing the connection reset
            BoundedBody acc = new BoundedBody(maxBody);
            ex.getRequestReceiver().receivePartialBytes((exchange, chunk, last) -> {
                acc.add(chunk);
                if (!last) return;
                if (acc.overLimit()) {
                    ApiException e = Http.tooLarge(maxBody);
                    ingest.rejectedEarly(tenantId, connectorId, e, pending.sourceAddress());
                    Http.error(exchange, e);
                } else {
                    byte[] body = acc.bytes();
                    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> store(exchange, pending, body));
                }
            }, (exchange, err) -> readFailed(exchange, pending, tenantId, connectorId, err));
        }
    }

    private void readFailed(HttpServerExchange exchange, IngestService.Pending pending, String tenantId, String connectorId, java.io.IOException err) {
        ApiException e = err instanceof RequestTooBigException
                ? Http.tooLarge(maxBody)
                : new ApiException(ApiException.Kind.INVALID, "invalid_request", "The request body could not be read completely.");
        ingest.rejectedEarly(tenantId, connectorId, e, pending.sourceAddress());
        exchange.setPersistent(false);
        Http.error(exchange, e);
    }

    /** Collects a body up to a limit and counts (without keeping) what comes after it. */
    private static final class BoundedBody {
        private final long max;
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private long total;

        BoundedBody(long max) { this.max = max; }

        void add(byte[] chunk) {
            total += chunk.length;
            if (total <= max) out.write(chunk, 0, chunk.length);
        }

        boolean overLimit() { return total > max; }

        byte[] bytes() { return out.toByteArray(); }
    }

    private void store(HttpServerExchange ex, IngestService.Pending pending, byte[] body) {
        try {
            // the future completes on the database writer's thread: answer on the connection's I/O
            // thread so the writer goes straight on to the next commit instead of writing sockets
            ingest.finish(pending, body).whenComplete((r, err) -> ex.getIoThread().execute(() -> answer(ex, r, err)));
        } catch (ApiException e) {
            Http.error(ex, e);
        }
    }

    private void answer(HttpServerExchange ex, IngestResult r, Throwable err) {
        if (err == null) {
            respond(ex, r);
        } else {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof ApiException ae) {
                Http.error(ex, ae);
            } else {
                reportStorageFailure(cause);
                Http.error(ex, ApiException.unavailable("The event could not be stored; nothing was stored. Retry shortly."));
            }
        }
    }

    private final ReportThrottle storageFailures = new ReportThrottle(java.time.Duration.ofSeconds(10));

    /**
     * A storage failure fails every event until it is fixed: the first is logged with its stack
     * trace, then one line at most every ten seconds with how many more failed.
     */
    private void reportStorageFailure(Throwable cause) {
        long failed = storageFailures.occurred(1);
        // a storage failure's message is the gateway's own (and says what to fix); anything else may echo the request: type only
        Throwable shown = cause instanceof com.airotech.connect.store.StorageException ? cause : LogSafe.withoutMessages(cause);
        if (failed == 1) log.error("event could not be stored; senders get 503 and retry", shown);
        else if (failed > 1) log.error("events could not be stored: {} since the last report; the latest: {}", failed, shown.toString());
    }

    private static void respond(HttpServerExchange ex, IngestResult r) {
        ObjectNode body = Json.object().put("event_id", r.eventId()).put("received_at", Times.format(r.receivedAt()));
        if (r.duplicate()) body.put("duplicate", true);
        Http.json(ex, r.duplicate() ? 200 : 202, body);
    }
}
