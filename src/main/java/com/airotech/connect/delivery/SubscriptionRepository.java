package com.airotech.connect.delivery;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.WriteContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for subscriptions, their signing secrets, delivery rows, attempts and the packed log. Every query names the tenant or a subscription id. */
final class SubscriptionRepository {
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private final Database db;

    SubscriptionRepository(Database db) { this.db = db; }

    Database db() { return db; }

    // ------------------------------------------------------------------ subscriptions

    private static final String VIEW = """
            SELECT s.tenant_id, s.subscription_id, s.name, s.event_types, s.source_connectors, s.target_connector_id, s.target_connection_id,
                   s.target_path, s.target_method, s.enabled, s.disabled_reason, s.disabled_at, s.start_seq, s.cursor_seq, s.failing_since,
                   s.last_success_at, s.last_failure_at, s.last_error, s.delivered_total, s.created_at, s.updated_at,
                   (SELECT x.secret_sha256 FROM subscription_secrets x
                     WHERE x.tenant_id = s.tenant_id AND x.subscription_id = s.subscription_id AND x.valid_until IS NULL),
                   (SELECT max(x.valid_until) FROM subscription_secrets x
                     WHERE x.tenant_id = s.tenant_id AND x.subscription_id = s.subscription_id AND x.valid_until IS NOT NULL)
              FROM subscriptions s""";

    void insert(WriteContext w, Subscription s) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO subscriptions (tenant_id, subscription_id, name, event_types, source_connectors, target_connector_id,"
                + " target_connection_id, target_path, target_method, enabled, start_seq, cursor_seq, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ps.setString(1, s.tenantId());
        ps.setString(2, s.subscriptionId());
        ps.setString(3, s.name());
        setList(ps, 4, s.eventTypes());
        setList(ps, 5, s.sourceConnectors());
        if (s.target() instanceof Target.ToConnector t) {
            ps.setString(6, t.connectorId());
            ps.setNull(7, Types.VARCHAR);
            ps.setNull(8, Types.VARCHAR);
            ps.setNull(9, Types.VARCHAR);
        } else {
            Target.ToConnection t = (Target.ToConnection) s.target();
            ps.setNull(6, Types.VARCHAR);
            ps.setString(7, t.connectionId());
            ps.setString(8, t.path());
            ps.setString(9, t.method());
        }
        ps.setInt(10, s.enabled() ? 1 : 0);
        ps.setLong(11, s.startSeq());
        ps.setLong(12, s.cursorSeq());
        ps.setLong(13, s.createdAt().toEpochMilli());
        ps.setLong(14, s.updatedAt().toEpochMilli());
        ps.executeUpdate();
    }

    Optional<Subscription> find(String tenantId, String subscriptionId, Instant now) {
        return db.read(c -> find(c, tenantId, subscriptionId, now));
    }

    Optional<Subscription> find(Connection c, String tenantId, String subscriptionId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VIEW + " WHERE s.tenant_id = ? AND s.subscription_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, subscriptionId);
            List<Subscription> l = read(ps, now);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        }
    }

    Optional<Subscription> find(WriteContext w, String tenantId, String subscriptionId, Instant now) throws SQLException {
        PreparedStatement ps = w.prepare(VIEW + " WHERE s.tenant_id = ? AND s.subscription_id = ?");
        ps.setString(1, tenantId);
        ps.setString(2, subscriptionId);
        List<Subscription> l = read(ps, now);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    List<Subscription> list(String tenantId, Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW + " WHERE s.tenant_id = ? ORDER BY s.created_at, s.subscription_id")) {
                ps.setString(1, tenantId);
                return read(ps, now);
            }
        });
    }

    /** Every enabled subscription of every tenant (the dispatcher's view). */
    List<Subscription> enabled(Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW + " WHERE s.enabled = 1")) {
                return read(ps, now);
            }
        });
    }

    private static List<Subscription> read(PreparedStatement ps, Instant now) throws SQLException {
        List<Subscription> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Target target = rs.getString(6) != null ? new Target.ToConnector(rs.getString(6))
                        : new Target.ToConnection(rs.getString(7), rs.getString(8), rs.getString(9));
                Instant prev = millis(rs, 23);
                if (prev != null && !prev.isAfter(now)) prev = null;
                out.add(new Subscription(rs.getString(1), rs.getString(2), rs.getString(3), list(rs.getString(4)), list(rs.getString(5)), target,
                        rs.getInt(10) == 1, rs.getString(11), millis(rs, 12), rs.getLong(13), rs.getLong(14), millis(rs, 15), millis(rs, 16),
                        millis(rs, 17), rs.getString(18), rs.getLong(19), millis(rs, 20), millis(rs, 21), rs.getString(22), prev));
            }
        }
        return out;
    }

    void update(WriteContext w, Subscription s, long now) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE subscriptions SET name = ?, event_types = ?, source_connectors = ?, enabled = ?, disabled_reason = ?,"
                + " disabled_at = ?, failing_since = ?, updated_at = ? WHERE tenant_id = ? AND subscription_id = ?");
        ps.setString(1, s.name());
        setList(ps, 2, s.eventTypes());
        setList(ps, 3, s.sourceConnectors());
        ps.setInt(4, s.enabled() ? 1 : 0);
        ps.setString(5, s.disabledReason());
        setMillis(ps, 6, s.disabledAt());
        setMillis(ps, 7, s.failingSince());
        ps.setLong(8, now);
        ps.setString(9, s.tenantId());
        ps.setString(10, s.subscriptionId());
        ps.executeUpdate();
    }

    /** The dispatcher disables a subscription (410, continuous failure, a target gone); false when it was no longer enabled. */
    boolean disable(WriteContext w, String tenantId, String subscriptionId, String reason, long now) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE subscriptions SET enabled = 0, disabled_reason = ?, disabled_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND subscription_id = ? AND enabled = 1");
        ps.setString(1, reason);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setString(4, tenantId);
        ps.setString(5, subscriptionId);
        return ps.executeUpdate() == 1;
    }

    /**
     * The dispatcher's progress: the cursor only ever moves forward (retention's forced release may
     * have moved it further meanwhile), the counters add up, health follows the last outcome. A
     * subscription disabled meanwhile still records what was delivered before it stopped.
     */
    void progress(WriteContext w, String subscriptionId, long cursor, long delivered, Long lastSuccessAt, Long lastFailureAt, Long failingSince,
                  String lastError) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE subscriptions SET cursor_seq = max(cursor_seq, ?), delivered_total = delivered_total + ?,"
                + " last_success_at = coalesce(?, last_success_at), last_failure_at = coalesce(?, last_failure_at), failing_since = ?,"
                + " last_error = ? WHERE subscription_id = ?");
        ps.setLong(1, cursor);
        ps.setLong(2, delivered);
        setLong(ps, 3, lastSuccessAt);
        setLong(ps, 4, lastFailureAt);
        setLong(ps, 5, failingSince);
        ps.setString(6, lastError);
        ps.setString(7, subscriptionId);
        ps.executeUpdate();
    }

    boolean exists(WriteContext w, String subscriptionId) throws SQLException {
        PreparedStatement ps = w.prepare("SELECT 1 FROM subscriptions WHERE subscription_id = ?");
        ps.setString(1, subscriptionId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Moves the cursor back: only when the event log's seqs went backwards (see SubscriptionRunner#seqWentBack). */
    void rewind(WriteContext w, String subscriptionId, long cursor) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE subscriptions SET cursor_seq = ? WHERE subscription_id = ?");
        ps.setLong(1, cursor);
        ps.setString(2, subscriptionId);
        ps.executeUpdate();
    }

    void delete(WriteContext w, String tenantId, String subscriptionId) throws SQLException {
        for (String sql : List.of("DELETE FROM delivery_attempts WHERE subscription_id = ?", "DELETE FROM deliveries WHERE subscription_id = ?",
                "DELETE FROM delivery_log WHERE subscription_id = ?")) {
            PreparedStatement ps = w.prepare(sql);
            ps.setString(1, subscriptionId);
            ps.executeUpdate();
        }
        PreparedStatement secrets = w.prepare("DELETE FROM subscription_secrets WHERE tenant_id = ? AND subscription_id = ?");
        secrets.setString(1, tenantId);
        secrets.setString(2, subscriptionId);
        secrets.executeUpdate();
        PreparedStatement sub = w.prepare("DELETE FROM subscriptions WHERE tenant_id = ? AND subscription_id = ?");
        sub.setString(1, tenantId);
        sub.setString(2, subscriptionId);
        sub.executeUpdate();
    }

    // ------------------------------------------------------------------ signing secrets

    /** A sealed signing secret in force (current, or previous within its grace). */
    record SealedSecret(String secretId, byte[] sealed, Long validUntil) {}

    void insertSecret(WriteContext w, String secretId, String tenantId, String subscriptionId, String sha256, byte[] sealed, long now) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO subscription_secrets (secret_id, tenant_id, subscription_id, secret_sha256, sealed_secret, created_at)"
                + " VALUES (?,?,?,?,?,?)");
        ps.setString(1, secretId);
        ps.setString(2, tenantId);
        ps.setString(3, subscriptionId);
        ps.setString(4, sha256);
        ps.setBytes(5, sealed);
        ps.setLong(6, now);
        ps.executeUpdate();
    }

    /** Ends the grace of older secrets at once and gives the current one {@code validUntil}. */
    void retireCurrent(WriteContext w, String tenantId, String subscriptionId, long validUntil, long now) throws SQLException {
        PreparedStatement older = w.prepare("UPDATE subscription_secrets SET valid_until = ? WHERE tenant_id = ? AND subscription_id = ?"
                + " AND valid_until IS NOT NULL AND valid_until > ?");
        older.setLong(1, now);
        older.setString(2, tenantId);
        older.setString(3, subscriptionId);
        older.setLong(4, now);
        older.executeUpdate();
        PreparedStatement current = w.prepare("UPDATE subscription_secrets SET valid_until = ? WHERE tenant_id = ? AND subscription_id = ? AND valid_until IS NULL");
        current.setLong(1, validUntil);
        current.setString(2, tenantId);
        current.setString(3, subscriptionId);
        current.executeUpdate();
    }

    List<SealedSecret> validSecrets(String tenantId, String subscriptionId, long now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_id, sealed_secret, valid_until FROM subscription_secrets WHERE tenant_id = ?"
                    + " AND subscription_id = ? AND (valid_until IS NULL OR valid_until > ?) ORDER BY created_at DESC")) {
                ps.setString(1, tenantId);
                ps.setString(2, subscriptionId);
                ps.setLong(3, now);
                List<SealedSecret> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long v = rs.getLong(3);
                        Long until = rs.wasNull() ? null : v;
                        out.add(new SealedSecret(rs.getString(1), rs.getBytes(2), until));
                    }
                }
                return out;
            }
        });
    }

    // ------------------------------------------------------------------ events

    /** The newest seq of the tenant's events (0 when it has none). */
    long maxSeq(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM events WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The newest seq of the tenant's events received before {@code at} (0 when none). */
    long seqBefore(Connection c, String tenantId, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM events WHERE tenant_id = ? AND received_at < ?")) {
            ps.setString(1, tenantId);
            ps.setLong(2, at);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static final String FILTER = " AND (? IS NULL OR event_type IN (SELECT value FROM json_each(?)))"
            + " AND (? IS NULL OR connector_id IN (SELECT value FROM json_each(?)))";

    private static int bindFilter(PreparedStatement ps, int i, List<String> types, List<String> connectors) throws SQLException {
        String t = types == null ? null : Json.write(types);
        String k = connectors == null ? null : Json.write(connectors);
        ps.setString(i++, t);
        ps.setString(i++, t);
        ps.setString(i++, k);
        ps.setString(i++, k);
        return i;
    }

    /** A batch of the subscription's events after {@code afterSeq}, up to {@code uptoSeq}, oldest first. */
    List<EventRecord> events(Connection c, String tenantId, long afterSeq, long uptoSeq, List<String> types, List<String> connectors, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, connector_id, event_type, occurred_at, received_at, body FROM events"
                + " WHERE tenant_id = ? AND seq > ? AND seq <= ?" + FILTER + " ORDER BY seq LIMIT ?")) {
            ps.setString(1, tenantId);
            ps.setLong(2, afterSeq);
            ps.setLong(3, uptoSeq);
            int i = bindFilter(ps, 4, types, connectors);
            ps.setInt(i, limit);
            List<EventRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long occ = rs.getLong(5);
                    Long occurred = rs.wasNull() ? null : occ;
                    out.add(new EventRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), occurred, rs.getLong(6), rs.getBytes(7)));
                }
            }
            return out;
        }
    }

    /** The events with these seqs that the tenant still has (retention may have removed some). */
    Map<Long, EventRecord> eventsBySeq(Connection c, String tenantId, Collection<Long> seqs) throws SQLException {
        Map<Long, EventRecord> out = new HashMap<>();
        if (seqs.isEmpty()) return out;
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < seqs.size(); i++) in.append(i == 0 ? "?" : ",?");
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, connector_id, event_type, occurred_at, received_at, body FROM events"
                + " WHERE tenant_id = ? AND seq IN (" + in + ")")) {
            ps.setString(1, tenantId);
            int i = 2;
            for (long s : seqs) ps.setLong(i++, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long occ = rs.getLong(5);
                    Long occurred = rs.wasNull() ? null : occ;
                    out.put(rs.getLong(1), new EventRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), occurred, rs.getLong(6),
                            rs.getBytes(7)));
                }
            }
        }
        return out;
    }

    /** Matching events after the cursor, counted up to {@code cap}; and the receive time of the oldest. */
    record Backlog(long count, Long oldestReceivedAt) {}

    Backlog backlog(Connection c, String tenantId, long afterSeq, List<String> types, List<String> connectors, long cap) throws SQLException {
        long count;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM events WHERE tenant_id = ? AND seq > ?" + FILTER
                + " LIMIT ?)")) {
            ps.setString(1, tenantId);
            ps.setLong(2, afterSeq);
            int i = bindFilter(ps, 3, types, connectors);
            ps.setLong(i, cap);
            try (ResultSet rs = ps.executeQuery()) {
                count = rs.next() ? rs.getLong(1) : 0;
            }
        }
        Long oldest = null;
        if (count > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT received_at FROM events WHERE tenant_id = ? AND seq > ?" + FILTER + " ORDER BY seq LIMIT 1")) {
                ps.setString(1, tenantId);
                ps.setLong(2, afterSeq);
                bindFilter(ps, 3, types, connectors);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) oldest = rs.getLong(1);
                }
            }
        }
        return new Backlog(count, oldest);
    }

    /** Matching events in {@code (afterSeq, beforeSeq)} that have no delivery row (what a forced prune gives up). */
    long unreadBetween(WriteContext w, String tenantId, String subscriptionId, long afterSeq, long beforeSeq, List<String> types, List<String> connectors)
            throws SQLException {
        PreparedStatement ps = w.prepare("SELECT count(*) FROM events e WHERE e.tenant_id = ? AND e.seq > ? AND e.seq < ?"
                + FILTER.replace("event_type", "e.event_type").replace("connector_id", "e.connector_id")
                + " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.subscription_id = ? AND d.event_seq = e.seq)");
        ps.setString(1, tenantId);
        ps.setLong(2, afterSeq);
        ps.setLong(3, beforeSeq);
        int i = bindFilter(ps, 4, types, connectors);
        ps.setString(i, subscriptionId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    // ------------------------------------------------------------------ delivery rows

    private static final String ROW_COLUMNS = "event_seq, event_id, connector_id, event_type, received_at, status, attempts, next_attempt_at, manual";

    private static RowState row(ResultSet rs) throws SQLException {
        long next = rs.getLong(8);
        Long nextAt = rs.wasNull() ? null : next;
        return new RowState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6), rs.getInt(7), nextAt,
                rs.getInt(9) == 1);
    }

    /** What the dispatcher must know when it starts a subscription: pending rows, and every row past the cursor (re-reading skips them). */
    List<RowState> rowsToLoad(String subscriptionId, long cursor) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM deliveries WHERE subscription_id = ?"
                    + " AND (status = 'pending' OR event_seq > ?) ORDER BY event_seq")) {
                ps.setString(1, subscriptionId);
                ps.setLong(2, cursor);
                List<RowState> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    Optional<RowState> row(Connection c, String subscriptionId, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM deliveries WHERE subscription_id = ? AND event_seq = ?")) {
            ps.setString(1, subscriptionId);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Creates or replaces a delivery row (the dispatcher's own, after a first failure or when setting deliveries aside). */
    void putRow(WriteContext w, String tenantId, String subscriptionId, RowState r, String lastError, long now) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO deliveries (tenant_id, subscription_id, event_seq, event_id, connector_id, event_type, received_at,"
                + " status, attempts, next_attempt_at, manual, last_error, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (subscription_id, event_seq) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,"
                + " next_attempt_at = excluded.next_attempt_at, manual = excluded.manual, last_error = coalesce(excluded.last_error, last_error),"
                + " updated_at = excluded.updated_at");
        ps.setString(1, tenantId);
        ps.setString(2, subscriptionId);
        ps.setLong(3, r.seq());
        ps.setString(4, r.eventId());
        ps.setString(5, r.connectorId());
        ps.setString(6, r.eventType());
        ps.setLong(7, r.receivedAt());
        ps.setString(8, r.status());
        ps.setInt(9, r.attempts());
        setLong(ps, 10, r.nextAttemptAt());
        ps.setInt(11, r.manual() ? 1 : 0);
        ps.setString(12, lastError);
        ps.setLong(13, now);
        ps.setLong(14, now);
        ps.executeUpdate();
    }

    void insertAttempt(WriteContext w, String subscriptionId, long seq, int n, DeliveryView.Attempt a) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT OR REPLACE INTO delivery_attempts (subscription_id, event_seq, n, at, status_code, latency_ms, error, detail,"
                + " response_excerpt) VALUES (?,?,?,?,?,?,?,?,?)");
        ps.setString(1, subscriptionId);
        ps.setLong(2, seq);
        ps.setInt(3, n);
        ps.setLong(4, a.at().toEpochMilli());
        if (a.statusCode() == null) ps.setNull(5, Types.INTEGER); else ps.setInt(5, a.statusCode());
        ps.setLong(6, a.latencyMs());
        ps.setString(7, a.error());
        ps.setString(8, a.detail());
        ps.setString(9, a.responseExcerpt());
        ps.executeUpdate();
    }

    void insertLog(WriteContext w, String subscriptionId, DeliveryLog.Chunk chunk) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO delivery_log (subscription_id, first_seq, last_seq, at, items, data) VALUES (?,?,?,?,?,?)");
        ps.setString(1, subscriptionId);
        ps.setLong(2, chunk.firstSeq());
        ps.setLong(3, chunk.lastSeq());
        ps.setLong(4, chunk.at());
        ps.setInt(5, chunk.count());
        ps.setBytes(6, chunk.data());
        ps.executeUpdate();
    }

    // ------------------------------------------------------------------ reading deliveries back

    List<RowState> rowsPage(Connection c, String subscriptionId, String status, long belowSeq, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM deliveries WHERE subscription_id = ?"
                + (status == null ? "" : " AND status = ?") + " AND event_seq < ? ORDER BY event_seq DESC LIMIT ?")) {
            int i = 1;
            ps.setString(i++, subscriptionId);
            if (status != null) ps.setString(i++, status);
            ps.setLong(i++, belowSeq);
            ps.setInt(i, limit);
            List<RowState> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        }
    }

    /** Last error per row, for the listing. */
    Map<Long, String> lastErrors(Connection c, String subscriptionId, Collection<Long> seqs) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        if (seqs.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("SELECT event_seq, last_error FROM deliveries WHERE subscription_id = ? AND event_seq IN ("
                + placeholders(seqs.size()) + ")")) {
            ps.setString(1, subscriptionId);
            int i = 2;
            for (long s : seqs) ps.setLong(i++, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    Map<Long, List<DeliveryView.Attempt>> attempts(Connection c, String subscriptionId, Collection<Long> seqs) throws SQLException {
        Map<Long, List<DeliveryView.Attempt>> out = new HashMap<>();
        if (seqs.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("SELECT event_seq, at, status_code, latency_ms, error, detail, response_excerpt FROM delivery_attempts"
                + " WHERE subscription_id = ? AND event_seq IN (" + placeholders(seqs.size()) + ") ORDER BY event_seq, n")) {
            ps.setString(1, subscriptionId);
            int i = 2;
            for (long s : seqs) ps.setLong(i++, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(3);
                    Integer status = rs.wasNull() ? null : code;
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new DeliveryView.Attempt(Instant.ofEpochMilli(rs.getLong(2)), status,
                            rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** A packed log row. */
    record LogRow(long firstSeq, long lastSeq, long at, byte[] data) {}

    /** Log rows that may hold seqs below {@code belowSeq}, highest last seq first; the reader stops when it has enough. */
    void logRows(Connection c, String subscriptionId, long belowSeq, java.util.function.Predicate<LogRow> more) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, last_seq, at, data FROM delivery_log WHERE subscription_id = ? AND first_seq < ?"
                + " ORDER BY last_seq DESC")) {
            ps.setString(1, subscriptionId);
            ps.setLong(2, belowSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!more.test(new LogRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4)))) return;
                }
            }
        }
    }

    /** The identity of events (no bodies) the tenant still has. */
    Map<Long, RowState> eventIdentities(Connection c, String tenantId, Collection<Long> seqs) throws SQLException {
        Map<Long, RowState> out = new HashMap<>();
        if (seqs.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, connector_id, event_type, received_at FROM events WHERE tenant_id = ? AND seq IN ("
                + placeholders(seqs.size()) + ")")) {
            ps.setString(1, tenantId);
            int i = 2;
            for (long s : seqs) ps.setLong(i++, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new RowState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), null, 0, null, false));
                }
            }
        }
        return out;
    }

    /** How many rows of a subscription have this status. */
    long countRows(Connection c, String subscriptionId, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM deliveries WHERE subscription_id = ? AND status = ?")) {
            ps.setString(1, subscriptionId);
            ps.setString(2, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The receive time of the oldest event waiting in a pending row. */
    Long oldestPending(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(received_at) FROM deliveries WHERE subscription_id = ? AND status = 'pending'")) {
            ps.setString(1, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    /** Queues a delivery again: one attempt now (manual), or sooner for one already waiting on its schedule. */
    void requeue(WriteContext w, String subscriptionId, long seq, boolean manual, long now) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE deliveries SET status = 'pending', manual = CASE WHEN ? THEN 1 ELSE manual END, next_attempt_at = ?,"
                + " updated_at = ? WHERE subscription_id = ? AND event_seq = ?");
        ps.setInt(1, manual ? 1 : 0);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setString(4, subscriptionId);
        ps.setLong(5, seq);
        ps.executeUpdate();
    }

    /** Every failed delivery of events received since {@code since}: pending again, one attempt each. */
    int recover(WriteContext w, String subscriptionId, long since, long now) throws SQLException {
        PreparedStatement ps = w.prepare("UPDATE deliveries SET status = 'pending', manual = 1, next_attempt_at = ?, updated_at = ?"
                + " WHERE subscription_id = ? AND status = 'failed' AND received_at >= ?");
        ps.setLong(1, now);
        ps.setLong(2, now);
        ps.setString(3, subscriptionId);
        ps.setLong(4, since);
        return ps.executeUpdate();
    }

    private static String placeholders(int n) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < n; i++) in.append(i == 0 ? "?" : ",?");
        return in.toString();
    }

    /** Tells gateways that an administrator changed subscriptions or deliveries. */
    static void changed(WriteContext w) throws SQLException {
        w.prepare("UPDATE delivery_changes SET version = version + 1 WHERE id = 1").executeUpdate();
    }

    long changesVersion() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM delivery_changes WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    static List<String> list(String json) {
        if (json == null) return null;
        List<String> out = new ArrayList<>();
        for (JsonNode n : Json.tree(json)) out.add(n.asText());
        return out;
    }

    private static void setList(PreparedStatement ps, int i, List<String> l) throws SQLException {
        if (l == null) ps.setNull(i, Types.VARCHAR); else ps.setString(i, Json.write(l));
    }

    static Instant millis(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.INTEGER); else ps.setLong(i, t.toEpochMilli());
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER); else ps.setLong(i, v);
    }
}
