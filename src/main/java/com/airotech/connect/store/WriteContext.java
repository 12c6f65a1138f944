package com.airotech.connect.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The writer's connection inside an open transaction, with statements prepared once and reused. */
public final class WriteContext {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

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
