package com.airotech.connect.delivery;

import com.airotech.connect.ingest.EventHold;
import com.airotech.connect.store.WriteContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What retention must keep for delivery: for each enabled subscription of the tenant, the event at
 * its cursor and everything after it, and the events of deliveries waiting for a retry. Disabled
 * subscriptions and dead letters hold nothing.
 *
 * <p>The event at the cursor itself is kept (one already delivered) on purpose: {@code events.seq}
 * is SQLite's rowid, which hands out the highest seq in the table plus one. Were the newest events
 * pruned, new events would get seqs at or below a cursor and would never be read. Keeping the cursor's
 * event keeps every seq handed out from now on above every cursor.
 */
public final class DeliveryHold implements EventHold {
    static final String PRUNED = "The event was pruned to keep the disk's free-space floor before it could be delivered.";

    private final Clock clock;

    public DeliveryHold(Clock clock) { this.clock = clock; }

    @Override public String name() { return "delivery"; }

    @Override
    public long lowestHeldSeq(Connection c, String tenantId) throws SQLException {
        long lowest = Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(cursor_seq) FROM subscriptions WHERE tenant_id = ? AND enabled = 1")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) lowest = Math.max(1, v);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT min(d.event_seq) FROM deliveries d JOIN subscriptions s ON s.subscription_id = d.subscription_id"
                + " WHERE d.tenant_id = ? AND d.status = 'pending' AND s.enabled = 1")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) lowest = Math.min(lowest, v);
                }
            }
        }
        return lowest;
    }

    /**
     * The disk floor forces the tenant's events below {@code belowSeq} out: their pending deliveries
     * fail with a reason, enabled subscriptions' cursors move up to the cut, and the count of
     * deliveries given up (pending rows, plus matching events not yet read) is returned.
     */
    @Override
    public long release(WriteContext w, String tenantId, long belowSeq) throws SQLException {
        long now = clock.millis();
        PreparedStatement fail = w.prepare("UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND status = 'pending' AND event_seq < ?");
        fail.setString(1, PRUNED);
        fail.setLong(2, now);
        fail.setString(3, tenantId);
        fail.setLong(4, belowSeq);
        long given = fail.executeUpdate();
        record Sub(String id, long cursor, List<String> types, List<String> connectors) {}
        List<Sub> subs = new ArrayList<>();
        PreparedStatement q = w.prepare("SELECT subscription_id, cursor_seq, event_types, source_connectors FROM subscriptions"
                + " WHERE tenant_id = ? AND enabled = 1 AND cursor_seq < ?");
        q.setString(1, tenantId);
        q.setLong(2, belowSeq - 1);
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                subs.add(new Sub(rs.getString(1), rs.getLong(2), SubscriptionRepository.list(rs.getString(3)), SubscriptionRepository.list(rs.getString(4))));
            }
        }
        SubscriptionRepository repo = new SubscriptionRepository(null);
        for (Sub s : subs) {
            given += repo.unreadBetween(w, tenantId, s.id(), s.cursor(), belowSeq, s.types(), s.connectors());
            PreparedStatement up = w.prepare("UPDATE subscriptions SET cursor_seq = ? WHERE subscription_id = ? AND cursor_seq < ?");
            up.setLong(1, belowSeq - 1);
            up.setString(2, s.id());
            up.setLong(3, belowSeq - 1);
            up.executeUpdate();
        }
        if (given > 0 || !subs.isEmpty()) SubscriptionRepository.changed(w);
        return given;
    }
}
