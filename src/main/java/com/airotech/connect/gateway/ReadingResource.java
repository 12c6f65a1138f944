package com.airotech.connect.gateway;

import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.ingest.EventPage;
import com.airotech.connect.ingest.EventQuery;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.ingest.StoredEvent;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;

/** {@code GET /api/audit} and {@code GET /api/events} (oldest first, or {@code order=desc}): the tenant's trail and events, paged by cursor. */
final class ReadingResource {
    private final AuditLog audit;
    private final IngestService ingest;

    ReadingResource(AuditLog audit, IngestService ingest) {
        this.audit = audit;
        this.ingest = ingest;
    }

    Reply audit(HttpServerExchange ex, Principal p, ObjectNode body) {
        AuditQuery q = new AuditQuery(time(ex, "from"), time(ex, "to"), Http.query(ex, "action"), Http.query(ex, "actor"),
                Http.query(ex, "connector_id") != null ? Http.query(ex, "connector_id") : Http.query(ex, "target"),
                Http.query(ex, "q"), Http.intQuery(ex, "limit", 100), AuditLog.parseCursor(Http.query(ex, "cursor")));
        AuditPage page = audit.page(p.tenantId(), q);
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (AuditEntry e : page.entries()) arr.add(e.toJson());
        ObjectNode out = Json.object();
        out.set("entries", arr);
        if (page.nextCursor() == null) out.putNull("next_cursor"); else out.put("next_cursor", page.nextCursor());
        return Reply.ok(out);
    }

    Reply events(HttpServerExchange ex, Principal p, ObjectNode body) {
        EventQuery q = new EventQuery(Http.query(ex, "type"), Http.query(ex, "connector_id"), time(ex, "since"),
                Http.intQuery(ex, "limit", 100), AuditLog.parseCursor(Http.query(ex, "cursor")), EventQuery.newestFirst(Http.query(ex, "order")));
        EventPage page = ingest.events(p, q);
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (StoredEvent e : page.events()) {
            ObjectNode o = Json.object().put("event_id", e.eventId()).put("connector_id", e.connectorId()).put("event_type", e.eventType());
            if (e.occurredAt() == null) o.putNull("occurred_at"); else o.put("occurred_at", Times.format(e.occurredAt()));
            o.put("received_at", Times.format(e.receivedAt()));
            o.set("data", e.data());
            arr.add(o);
        }
        ObjectNode out = Json.object();
        out.set("events", arr);
        if (page.nextCursor() == null) out.putNull("next_cursor"); else out.put("next_cursor", page.nextCursor());
        return Reply.ok(out);
    }

    private static Instant time(HttpServerExchange ex, String name) {
        String v = Http.query(ex, name);
        return v == null ? null : Times.parse(v, name);
    }
}
