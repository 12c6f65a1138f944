package com.airotech.connect.ingest;

import com.airotech.connect.auth.BodyCheck;
import com.airotech.connect.auth.FailureThrottle;
import com.airotech.connect.auth.InboundAuthenticator;
import com.airotech.connect.auth.InboundRequest;
import com.airotech.connect.auth.InboundVerifier;
import com.airotech.connect.auth.ReplayGuard;
import com.airotech.connect.auth.Verified;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Durable ingest in two phases. {@link #begin} authenticates on headers alone (so a request with
 * the wrong credential is answered before its body is read); {@link #finish} verifies what needs
 * the body, validates the envelope and queues the event for the group-commit writer. The returned
 * future completes only after the event's transaction is on disk.
 */
public final class IngestService {
    private final Database db;
    private final ConnectorService connectors;
    private final InboundAuthenticator authenticator;
    private final ReplayGuard replay;
    private final Clock clock;
    private final EventWriter writer;
    private final List<IngestObserver> observers = new CopyOnWriteArrayList<>();
    private final FailureThrottle throttle;

    public IngestService(Database db, ConnectorService connectors, InboundAuthenticator authenticator, ReplayGuard replay, Clock clock) {
        this(db, connectors, authenticator, replay, clock, FailureThrottle.unlimited(clock), EventSink.NONE);
    }

    public IngestService(Database db, ConnectorService connectors, InboundAuthenticator authenticator, ReplayGuard replay, Clock clock,
                         FailureThrottle throttle) {
        this(db, connectors, authenticator, replay, clock, throttle, EventSink.NONE);
    }

    public IngestService(Database db, ConnectorService connectors, InboundAuthenticator authenticator, ReplayGuard replay, Clock clock, EventSink sink) {
        this(db, connectors, authenticator, replay, clock, FailureThrottle.unlimited(clock), sink);
    }

    public IngestService(Database db, ConnectorService connectors, InboundAuthenticator authenticator, ReplayGuard replay, Clock clock,
                         FailureThrottle throttle, EventSink sink) {
        this.throttle = throttle;
        this.writer = new EventWriter(sink);
        this.db = db;
        this.connectors = connectors;
        this.authenticator = authenticator;
        this.replay = replay;
        this.clock = clock;
        restoreReplayWindow();
    }

    public void addObserver(IngestObserver o) { observers.add(o); }

    /** The state between the header phase and the body phase of one request. */
    public record Pending(ConnectorAuth connector, Verified verified, BodyCheck bodyCheck, long startNanos, String sourceAddress) {}

    /** True when {@link #begin} can run without touching the database (safe on an I/O thread). */
    public boolean canBeginWithoutDatabase(String tenantId, String connectorId) {
        return connectors.cachedAuth(tenantId, connectorId) != null;
    }

    /**
     * Header phase. Throws {@link ApiException} (401, or 429 for a sender that keeps failing) before
     * any body byte is read. Verification always runs: a valid credential is never refused.
     */
    public Pending begin(String tenantId, String connectorId, InboundRequest request) {
        long start = System.nanoTime();
        ConnectorAuth c = null;
        try {
            Optional<ConnectorAuth> found = connectors.auth(tenantId, connectorId);
            if (found.isPresent() && found.get().active()) c = found.get();
            if (c == null) throw ApiException.unauthorized(InboundAuthenticator.NO_VALID_CREDENTIAL);
            InboundVerifier.HeaderResult r = authenticator.verifyHeaders(c, request, clock.instant());
            return new Pending(c, r.verified(), r.bodyCheck(), start, request.sourceAddress());
        } catch (ApiException e) {
            throw rejected(tenantId, c == null ? null : connectorId, c, e, request.sourceAddress());
        }
    }

    /** Body phase: verification over the body, replay guard, envelope validation, durable write. */
    public CompletableFuture<IngestResult> finish(Pending p, byte[] body) {
        ConnectorAuth c = p.connector();
        Verified v = p.verified();
        boolean claimed = false;
        try {
            Instant now = clock.instant();
            if (p.bodyCheck() != null) {
                v = p.bodyCheck().verify(body, now);
                if (v.messageId() != null) {
                    if (!replay.claim(c.tenantId(), c.connectorId(), v.messageId(), v.messageTimestamp())) {
                        throw ApiException.conflict("replayed", "This webhook-id was already accepted from this connector within the replay window.");
                    }
                    claimed = true;
                }
            }
            IncomingEvent e = IncomingEvent.parse(body);
            if (!c.allows(e.eventType())) {
                throw new ApiException(ApiException.Kind.INVALID, "invalid_event_type", "Event type '" + e.eventType() + "' is not in this connector's event_types.");
            }
            String eventId = e.eventId() != null ? e.eventId() : Crypto.newId("ev");
            String messageId = v.messageId();
            EventWriter.Row row = new EventWriter.Row(c.tenantId(), c.connectorId(), eventId, e.eventType(),
                    e.occurredAt() == null ? null : e.occurredAt().toEpochMilli(), now.toEpochMilli(), messageId, body);
            CompletableFuture<IngestResult> f = db.submitPure(w -> writer.write(w, row));
            boolean release = claimed;
            String credentialId = v.credentialId();
            return f.whenComplete((r, err) -> {
                if (err != null) {
                    if (release) replay.release(c.tenantId(), c.connectorId(), messageId);
                    rejected(c.tenantId(), c.connectorId(), c, err instanceof ApiException ae ? ae : ApiException.unavailable("storage"), p.sourceAddress());
                } else {
                    long nanos = System.nanoTime() - p.startNanos();
                    for (IngestObserver o : observers) o.accepted(c.tenantId(), c.connectorId(), c.method(), e.eventType(), credentialId, nanos);
                }
            });
        } catch (RuntimeException e) {
            if (claimed) replay.release(c.tenantId(), c.connectorId(), v.messageId());
            ApiException ae = e instanceof ApiException x ? x : ApiException.unavailable("internal");
            ApiException answer = rejected(c.tenantId(), c.connectorId(), c, ae, p.sourceAddress());
            throw answer == ae ? e : answer;
        }
    }

    /** Tells observers of a rejection that happened outside the service (body too large, wrong media type). */
    public void rejectedEarly(String tenantId, String connectorId, ApiException e, String source) {
        Optional<ConnectorAuth> cached = connectors.cachedAuth(tenantId, connectorId);
        ConnectorAuth c = cached == null ? null : cached.orElse(null);
        rejected(tenantId, c == null ? null : connectorId, c, e, source);
    }

    /** Counts a rejection and tells the observers; returns what to answer (the rejection, or 429 for a sender that keeps failing). */
    private ApiException rejected(String tenantId, String connectorId, ConnectorAuth c, ApiException e, String source) {
        ApiException answer = throttle.failed(tenantId, c == null ? null : connectorId, source, e);
        for (IngestObserver o : observers) o.rejected(tenantId, connectorId, c == null ? null : c.method(), answer.code(), source);
        return answer;
    }

    /** Re-arms the replay guard with message ids accepted shortly before a restart. */
    private void restoreReplayWindow() {
        long window = com.airotech.connect.auth.StandardWebhooks.TOLERANCE.getSeconds();
        long since = clock.instant().minusSeconds(2 * window).toEpochMilli();
        db.read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(RECENT_MESSAGE_IDS)) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        replay.remember(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4) / 1000 + 2 * window);
                    }
                }
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ reading back

    /**
     * A page of the tenant's events. Every filter is one index range in {@code seq} order: the
     * tenant's events ({@code events_tenant_seq}), of one type ({@code events_tenant_type}) or of one
     * connector ({@code events_tenant_connector}), each ending with the rowid; {@code since} becomes
     * the first {@code seq} received at or after it (the {@code received_at} index; receive times
     * follow {@code seq}, see {@link EventWriter}). So a page costs the same at any size and depth.
     */
    public EventPage events(Principal p, EventQuery q) {
        return db.read(c -> {
            Long fromSeq = null;
            if (q.since() != null) {
                fromSeq = firstSeqReceivedAtOrAfter(c, q.since().toEpochMilli());
                if (fromSeq == null) return new EventPage(List.of(), null);
            }
            String index = null;
            if (q.type() != null && q.connectorId() != null) {
                // both filters: the index of the fewer events, as the summary counts them (none of both: nothing to read)
                long[] n = countsOf(c, p.tenantId(), q.connectorId(), q.type());
                if (n[2] == 0) return new EventPage(List.of(), null);
                index = n[0] <= n[1] ? CONNECTOR_INDEX : TYPE_INDEX;
            }
            List<Object> args = new ArrayList<>();
            args.add(p.tenantId());
            if (q.type() != null) args.add(q.type());
            if (q.connectorId() != null) args.add(q.connectorId());
            if (fromSeq != null) args.add(fromSeq);
            if (q.afterSeq() != null) args.add(q.afterSeq());
            if (q.since() != null) args.add(q.since().toEpochMilli());
            args.add(q.limit() + 1);
            String sql = listingSql(q, index);
            List<StoredEvent> out = new ArrayList<>();
            boolean more = false;
            long last = -1;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (out.size() == q.limit()) { more = true; break; }
                        last = rs.getLong(1);
                        long occ = rs.getLong(5);
                        Instant occurred = rs.wasNull() ? null : Instant.ofEpochMilli(occ);
                        JsonNode body = Json.tree(rs.getBytes(7));
                        out.add(new StoredEvent(last, rs.getString(2), rs.getString(3), rs.getString(4), occurred,
                                Instant.ofEpochMilli(rs.getLong(6)), body.get("data")));
                    }
                }
            }
            return new EventPage(out, more ? Long.toString(last) : null);
        });
    }

    static final String CONNECTOR_INDEX = "events_tenant_connector";
    static final String TYPE_INDEX = "events_tenant_type";
    static final String COUNTS_OF = "SELECT coalesce(sum(CASE WHEN connector_id = ? THEN events END), 0), coalesce(sum(CASE WHEN event_type = ? THEN events END), 0),"
            + " coalesce(sum(CASE WHEN connector_id = ? AND event_type = ? THEN events END), 0) FROM event_counts WHERE tenant_id = ?";

    /** The tenant's stored events of the connector, of the type, and of both, from the summary (a few hundred rows at most). */
    static long[] countsOf(java.sql.Connection c, String tenantId, String connectorId, String type) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNTS_OF)) {
            ps.setString(1, connectorId);
            ps.setString(2, type);
            ps.setString(3, connectorId);
            ps.setString(4, type);
            ps.setString(5, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    /** The statement of one page, SQLite choosing the index. */
    static String listingSql(EventQuery q) { return listingSql(q, null); }

    /**
     * The statement of one page: parameters in order tenant, type, connector, first seq (since),
     * cursor, since, limit, each present only when the query has it; {@code index} names the index to
     * read (both filters), or null.
     */
    static String listingSql(EventQuery q, String index) {
        StringBuilder sql = new StringBuilder("SELECT seq, event_id, connector_id, event_type, occurred_at, received_at, body FROM events"
                + (index == null ? "" : " INDEXED BY " + index) + " WHERE tenant_id = ?");
        if (q.type() != null) sql.append(" AND event_type = ?");
        if (q.connectorId() != null) sql.append(" AND connector_id = ?");
        if (q.since() != null) sql.append(" AND seq >= ?");
        if (q.afterSeq() != null) sql.append(q.newestFirst() ? " AND seq < ?" : " AND seq > ?");
        // exact at the edge of a clock step; the unary + keeps the planner on the seq range above
        if (q.since() != null) sql.append(" AND +received_at >= ?");
        sql.append(q.newestFirst() ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?");
        return sql.toString();
    }

    static final String FIRST_SEQ_SINCE = "SELECT seq FROM events WHERE received_at >= ? ORDER BY received_at, seq LIMIT 1";
    static final String LAST_BY_CONNECTOR = "SELECT connector_id, max(last_received_at) FROM event_counts WHERE tenant_id = ? GROUP BY connector_id"
            + " HAVING max(last_received_at) IS NOT NULL";
    static final String COUNT = "SELECT coalesce(sum(events), 0) FROM event_counts WHERE tenant_id = ?";
    static final String OLDEST = "SELECT received_at FROM events WHERE tenant_id = ? ORDER BY seq LIMIT 1";
    static final String RECENT_MESSAGE_IDS = "SELECT tenant_id, connector_id, webhook_id, received_at FROM events WHERE received_at > ? AND webhook_id IS NOT NULL";

    /** The first {@code seq} (of any tenant) received at or after {@code millis}, or null when none was. */
    static Long firstSeqReceivedAtOrAfter(java.sql.Connection c, long millis) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIRST_SEQ_SINCE)) {
            ps.setLong(1, millis);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /**
     * When each of the tenant's connectors last delivered an event (connectors that never did are
     * absent), from the maintained summary: one short index search, however many events are stored.
     */
    public java.util.Map<String, Instant> lastReceivedByConnector(Principal p) {
        return db.read(c -> {
            java.util.Map<String, Instant> out = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(LAST_BY_CONNECTOR)) {
                ps.setString(1, p.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
            return out;
        });
    }

    /** Events of the tenant now stored (for status views), from the maintained summary. */
    public long count(Principal p) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT)) {
                ps.setString(1, p.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** When the tenant's oldest stored event was received, or null when none is stored. */
    public Instant oldestStored(Principal p) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(OLDEST)) {
                ps.setString(1, p.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
                }
            }
        });
    }
}
