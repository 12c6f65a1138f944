package com.airotech.connect.testing;

import com.airotech.connect.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Holds queries to their indexes: SQLite's own plan ({@code EXPLAIN QUERY PLAN}) of a statement on
 * the real schema, and a check that it neither scans a table that grows with the event log nor sorts.
 * Without ANALYZE statistics (the product never runs it) the plan depends on the schema and the
 * statement alone, so what holds here holds at any size.
 */
public final class QueryPlans {
    /** Tables that grow with traffic; a scan of one of these is a full scan at 5 M events. */
    public static final Set<String> LARGE = Set.of("events", "outbox", "audit");

    private QueryPlans() {}

    /** The plan's lines, as the sqlite3 shell prints them. */
    public static List<String> plan(Database db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(4));
            }
            return out;
        });
    }

    /** Why {@code sql} would not stay fast at any size, or null when indexes serve it. */
    public static String problem(Database db, String sql) { return problem(sql, plan(db, sql)); }

    /**
     * Why the plan would not stay fast at any size, or null: a scan of a large table reads every row;
     * a search on the tenant alone reads all of the tenant's rows unless a LIMIT ends it early (the
     * rows then come in index order, which "no sort" ensures); a sort reads every match before the first.
     */
    public static String problem(String sql, List<String> plan) {
        boolean limited = sql.toUpperCase(java.util.Locale.ROOT).contains(" LIMIT ");
        for (String line : plan) {
            for (String t : LARGE) {
                if (line.matches("SCAN " + t + "(\\s.*)?")) return "scans " + t + ": " + line;
                if (line.matches("SEARCH " + t + " .*\\(tenant_id=\\?\\)") && !limited) return "reads every row of the tenant: " + line;
            }
            if (line.contains("TEMP B-TREE")) return "sorts its rows: " + line;
        }
        return null;
    }
}
