package com.airotech.connect.bus;

import com.airotech.connect.ingest.EventHold;
import com.airotech.connect.ingest.EventSink;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.WriteContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox: an {@link EventSink} that adds the outbox row in the event's own
 * transaction, the relay's view of what is still to be published, and the {@link EventHold} that
 * keeps retention from removing an event before Kafka has acknowledged it. The number of rows per
 * tenant is kept in {@code outbox_counts}, written with every row added or removed, so depths are
 * read without counting the outbox (which grows by the hour while Kafka is unreachable).
 */
public final class Outbox implements EventSink, EventHold {
    private static final String INSERT = "INSERT INTO outbox (event_seq, created_at) VALUES (?, ?)";

    static final String RELEASE = "DELETE FROM outbox WHERE event_seq IN (SELECT seq FROM events WHERE tenant_id = ? AND seq < ?)";
    static final String LOWEST = "SELECT min(event_seq) FROM outbox";
    static final String DEPTH = "SELECT events FROM outbox_counts WHERE tenant_id = ?";
    static final String COUNT_DOWN = "UPDATE outbox_counts SET events = events - 1 WHERE tenant_id = (SELECT tenant_id FROM events WHERE seq = ?)";
    static final String NEXT = "SELECT o.event_seq, e.tenant_id, e.connector_id, e.event_id, e.event_type, e.occurred_at, e.received_at, e.body"
            + " FROM outbox o JOIN events e ON e.seq = o.event_seq ORDER BY o.event_seq LIMIT ?";

    private final Database db;
    private final Clock clock;
    private volatile Stats cached;

    public Outbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Depth and the receive time of the oldest unpublished event (null when empty). */
    public record Stats(long depth, Instant oldest, Instant at) {
        public Duration oldestAge() { return oldest == null ? Duration.ZERO : Duration.between(oldest, at).isNegative() ? Duration.ZERO : Duration.between(oldest, at); }
    }

    @Override
    public void stored(WriteContext w, long seq, String tenantId, long receivedAtMillis) throws SQLException {
        PreparedStatement ps = w.prepare(INSERT);
        ps.setLong(1, seq);
        ps.setLong(2, receivedAtMillis);
        ps.executeUpdate();
        w.defer(COUNTS, tenantId);
    }

    /** The outbox rows a batch added, counted per tenant once, just before the batch commits. */
    private static final WriteContext.Summary COUNTS = (w, tenants) -> {
        java.util.Map<String, Integer> added = new java.util.LinkedHashMap<>();
        for (Object t : tenants) added.merge((String) t, 1, Integer::sum);
        for (java.util.Map.Entry<String, Integer> e : added.entrySet()) {
            PreparedStatement up = w.prepare("UPDATE outbox_counts SET events = events + ? WHERE tenant_id = ?");
            up.setInt(1, e.getValue());
            up.setString(2, e.getKey());
            if (up.executeUpdate() > 0) continue;
            PreparedStatement ins = w.prepare("INSERT INTO outbox_counts (tenant_id, events) VALUES (?, ?)");
            ins.setString(1, e.getKey());
            ins.setInt(2, e.getValue());
            ins.executeUpdate();
        }
    };

    /** The oldest unpublished events, in the order they were stored. */
    public List<OutboxRecord> next(int limit) {
        return db.read(c -> {
            List<OutboxRecord> out = new ArrayList<>(Math.min(limit, 1024));
            try (PreparedStatement ps = c.prepareStatement(
                    NEXT)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long occ = rs.getLong(6);
                        Instant occurred = rs.wasNull() ? null : Instant.ofEpochMilli(occ);
                        out.add(new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                occurred, Instant.ofEpochMilli(rs.getLong(7)), rs.getBytes(8)));
                    }
                }
            }
            return out;
        });
    }

    /** Removes published rows; waits for the commit (the relay's thread, never the ingest path). */
    public void markPublished(List<Long> seqs) {
        if (seqs.isEmpty()) return;
        db.write(w -> {
            PreparedStatement ps = w.prepare("DELETE FROM outbox WHERE event_seq = ?");
            PreparedStatement down = w.prepare(COUNT_DOWN);
            for (long s : seqs) {
                ps.setLong(1, s);
                // a row the disk floor released meanwhile is gone already, and counted down then
                if (ps.executeUpdate() == 0) continue;
                down.setLong(1, s);
                down.executeUpdate();
            }
            return null;
        });
        cached = null;
    }

    /** Gateway-wide depth and oldest age; cached for a second so scrapes and status calls stay cheap. */
    public Stats stats() {
        Stats s = cached;
        Instant now = clock.instant();
        if (s != null && Duration.between(s.at(), now).compareTo(Duration.ofSeconds(1)) < 0) return s;
        s = db.read(c -> {
            long depth;
            Instant oldest = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(events), 0) FROM outbox_counts"); ResultSet rs = ps.executeQuery()) {
                depth = rs.next() ? rs.getLong(1) : 0;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM outbox ORDER BY event_seq LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) oldest = Instant.ofEpochMilli(rs.getLong(1));
            }
            return new Stats(depth, oldest, now);
        });
        cached = s;
        return s;
    }

    /** Unpublished events of one tenant. */
    public long depth(String tenantId) {
        return db.read(c -> depth(c, tenantId));
    }

    private static long depth(java.sql.Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DEPTH)) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    // ------------------------------------------------------------------ the hold on retention

    @Override
    public String name() { return "kafka"; }

    /**
     * The relay publishes the whole outbox in {@code seq} order, so its lowest row bounds every
     * tenant's lowest from below: one primary-key lookup instead of a search through the outbox per
     * tenant. A tenant with nothing in the outbox holds nothing.
     */
    @Override
    public long lowestHeldSeq(java.sql.Connection c, String tenantId) throws SQLException {
        if (depth(c, tenantId) <= 0) return Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement(LOWEST); ResultSet rs = ps.executeQuery()) {
            long min = rs.next() ? rs.getLong(1) : 0;
            return rs.wasNull() ? Long.MAX_VALUE : min;
        }
    }

    /** Gives up the tenant's unpublished events below {@code belowSeq}: the disk floor removes them. */
    @Override
    public long release(WriteContext w, String tenantId, long belowSeq) throws SQLException {
        PreparedStatement ps = w.prepare(RELEASE);
        ps.setString(1, tenantId);
        ps.setLong(2, belowSeq);
        int released = ps.executeUpdate();
        if (released > 0) {
            PreparedStatement down = w.prepare("UPDATE outbox_counts SET events = events - ? WHERE tenant_id = ?");
            down.setLong(1, released);
            down.setString(2, tenantId);
            down.executeUpdate();
            cached = null;
        }
        return released;
    }
}
