package com.airotech.connect.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's connection inside an open transaction, with statements prepared once and reused, and
 * the changes to summaries that the transaction's writes defer to its end.
 */
public final class WriteContext {
    /**
     * A summary kept in the same transaction as the rows it sums (a count per key, say): writes
     * {@link #defer} what they change, and the summary applies all of one transaction's records at once,
     * on the writer, just before the transaction commits. A batch of 20 events of one connector is then
     * one update of its count instead of 20. Records of a write that failed, and was rolled back to its
     * savepoint, are dropped with it, so the summary stays exact.
     */
    @FunctionalInterface
    public interface Summary {
        void apply(WriteContext w, List<Object> records) throws SQLException;
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** What the open transaction's writes deferred, in order (a journal, so a savepoint can be undone). */
    private final List<Map.Entry<Summary, Object>> deferred = new ArrayList<>();

    WriteContext(Connection connection) { this.connection = connection; }

    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    public Connection connection() { return connection; }

    /** Records a change to {@code summary}, applied with the transaction's others just before it commits. */
    public void defer(Summary summary, Object record) { deferred.add(Map.entry(summary, record)); }

    /** Where the journal stands: what a savepoint taken now would roll back to. */
    int mark() { return deferred.size(); }

    /** Drops what was deferred since {@code mark} (the writes after it were rolled back). */
    void rollbackTo(int mark) { deferred.subList(mark, deferred.size()).clear(); }

    /** Applies every summary's records of the transaction (inside it, before COMMIT) and empties the journal. */
    void applyDeferred() throws SQLException {
        if (deferred.isEmpty()) return;
        Map<Summary, List<Object>> bySummary = new LinkedHashMap<>();
        for (Map.Entry<Summary, Object> e : deferred) bySummary.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        deferred.clear();
        for (Map.Entry<Summary, List<Object>> e : bySummary.entrySet()) e.getKey().apply(this, e.getValue());
    }

    /** Forgets what was deferred (the transaction ended, committed or not). */
    void clearDeferred() { deferred.clear(); }

    /**
     * After a failed statement: closes every cached statement, to be prepared anew on next use.
     * A statement that failed in the middle of its step (a full disk, for one) is left unusable
     * by the driver ("statement is not executing"), and every later write through it would fail.
     */
    void reset() {
        close();
    }

    void close() {
        for (PreparedStatement ps : statements.values()) {
            try { ps.close(); } catch (SQLException ignored) { /* closing anyway */ }
        }
        statements.clear();
    }
}
