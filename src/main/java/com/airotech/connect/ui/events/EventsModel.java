package com.airotech.connect.ui.events;

import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.ingest.EventPage;
import com.airotech.connect.ingest.EventQuery;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.ingest.StoredEvent;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.LiveFeed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Events screen's state. Live: the newest events first, fetched from storage in batches when
 * the live feed says the tenant received some (never one UI update per event). History: the
 * stored events from a day on, oldest first, paged by cursor.
 */
public final class EventsModel {
    static final int LIVE_ROWS = 500;
    static final int PAGE_SIZE = 200;
    private static final int MAX_PAGES_PER_POLL = 5;

    private final ConsoleContext ctx;
    private final ObservableList<StoredEvent> events = FXCollections.observableArrayList();
    private final ObservableList<LiveFeed.RejectionCount> rejections = FXCollections.observableArrayList();
    private final BooleanProperty live = new SimpleBooleanProperty(true);
    private final BooleanProperty hasMore = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private String type;
    private String connectorId;
    private LocalDate since;
    private Long cursor;
    private boolean polling;
    private boolean pollAgain;
    private long generation;

    EventsModel(ConsoleContext ctx) {
        this.ctx = ctx;
        ctx.feed().onBatch(this::batch);
    }

    ObservableList<StoredEvent> events() { return events; }
    ObservableList<LiveFeed.RejectionCount> rejections() { return rejections; }
    BooleanProperty live() { return live; }
    BooleanProperty hasMore() { return hasMore; }
    StringProperty status() { return status; }

    void filter(String type, String connectorId, LocalDate since) {
        this.type = type == null || type.isBlank() ? null : type.strip();
        this.connectorId = connectorId;
        this.since = since;
        restart();
    }

    /** Starts over in the current mode (after a filter, mode or tenant change). */
    void restart() {
        generation++;
        events.clear();
        cursor = null;
        polling = false;
        pollAgain = false;
        hasMore.set(false);
        refreshRejections();
        if (ctx.principal() == null) {
            status.set("Choose a tenant to see its events.");
            return;
        }
        if (live.get()) {
            status.set("Live: the newest " + LIVE_ROWS + " events, as they arrive.");
            startLive();
        } else {
            status.set("");
            nextPage();
        }
    }

    private EventQuery query(Long after, Instant from, int limit) { return new EventQuery(type, connectorId, from, limit, after); }

    /** Live mode starts from the events of the last minute, then follows new ones. */
    private void startLive() {
        Instant from = ctx.clock().instant().minusSeconds(60);
        poll(from);
    }

    private void poll(Instant from) {
        Principal p = ctx.principal();
        if (p == null) return;
        if (polling) {
            pollAgain = true;
            return;
        }
        polling = true;
        long gen = generation;
        Long after = cursor;
        IngestService ingest = ctx.platform().ingest();
        ctx.background().call(() -> {
            List<StoredEvent> got = new ArrayList<>();
            Long c = after;
            boolean more = false;
            for (int i = 0; i < MAX_PAGES_PER_POLL; i++) {
                EventPage page = ingest.events(p, query(c, c == null ? from : null, EventQuery.MAX_LIMIT));
                got.addAll(page.events());
                if (!page.events().isEmpty()) c = page.events().get(page.events().size() - 1).seq();
                more = page.nextCursor() != null;
                if (!more) break;
            }
            if (got.size() > LIVE_ROWS) got = new ArrayList<>(got.subList(got.size() - LIVE_ROWS, got.size()));
            return new Object[] {got, c, more};
        }, r -> {
            if (gen != generation) return;
            polling = false;
            @SuppressWarnings("unchecked") List<StoredEvent> got = (List<StoredEvent>) r[0];
            cursor = (Long) r[1];
            if (cursor == null) cursor = 0L;
            List<StoredEvent> newestFirst = new ArrayList<>(got);
            Collections.reverse(newestFirst);
            events.addAll(0, newestFirst);
            if (events.size() > LIVE_ROWS) events.remove(LIVE_ROWS, events.size());
            if ((Boolean) r[2] || pollAgain) {
                pollAgain = false;
                poll(null);
            }
        }, e -> {
            polling = false;
            ctx.failed(e);
        });
    }

    /** History: the next page of stored events, appended (oldest first). */
    void nextPage() {
        Principal p = ctx.principal();
        if (p == null) return;
        long gen = generation;
        Instant from = since == null ? null : since.atStartOfDay(ZoneId.systemDefault()).toInstant();
        EventQuery q = query(cursor, cursor == null ? from : null, PAGE_SIZE);
        ctx.background().call(() -> ctx.platform().ingest().events(p, q), page -> {
            if (gen != generation) return;
            events.addAll(page.events());
            cursor = page.nextCursor() == null ? cursor : AuditLog.parseCursor(page.nextCursor());
            hasMore.set(page.nextCursor() != null);
            status.set(events.isEmpty() ? "No stored events match." : events.size() + " events shown, oldest first"
                    + (page.nextCursor() != null ? "; more follow." : "; that is all."));
        }, ctx::failed);
    }

    private void batch(LiveFeed.Batch b) {
        refreshRejections();
        Principal p = ctx.principal();
        if (p != null && live.get() && b.tenantsWithEvents().contains(p.tenantId())) poll(null);
    }

    private void refreshRejections() {
        Principal p = ctx.principal();
        rejections.setAll(p == null ? List.of() : ctx.feed().rejections(p.tenantId()));
    }

    /** The event as {@code GET /api/events} gives it, pretty-printed. */
    static String json(StoredEvent e) {
        ObjectNode o = Json.object().put("event_id", e.eventId()).put("connector_id", e.connectorId()).put("event_type", e.eventType());
        if (e.occurredAt() == null) o.putNull("occurred_at"); else o.put("occurred_at", Times.format(e.occurredAt()));
        o.put("received_at", Times.format(e.receivedAt()));
        o.set("data", e.data());
        return o.toPrettyString();
    }
}
