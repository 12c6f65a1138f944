package com.airotech.connect.retention;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.WriteContext;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention settings and what pruning has done. A tenant's events are kept {@code max_age_days}
 * (default 30; the tenant's admin may change it); the operator alone sets the disk floor
 * ({@code min_free_disk_percent}, default 10) and the audit trail's own retention
 * ({@code audit_max_age_days}, off by default), because both reach across tenants. Every change is
 * audited as {@code retention.changed} with the actor and the old and new values: a tenant's in its
 * own trail, the operator's in every tenant's trail.
 */
public final class RetentionService {
    public static final int DEFAULT_MAX_AGE_DAYS = 30;
    public static final int MAX_MAX_AGE_DAYS = 36_500;
    public static final int MAX_FLOOR_PERCENT = 50;

    /** The operator's settings for the whole data directory; {@code auditMaxAgeDays} null = never. */
    public record Site(int minFreeDiskPercent, Integer auditMaxAgeDays, Instant agePruningFrom) {}

    /** What applies to one tenant. {@code explicit}: set for it, rather than the default. */
    public record Policy(String tenantId, int maxAgeDays, boolean explicit, Site site) {}

    /** What pruning did to one tenant's events (totals since the database was made). */
    public record Totals(long pruned, long forced, long forcedHeld, Instant lastPruneAt, Instant lastForcedAt) {
        static final Totals NONE = new Totals(0, 0, 0, null, null);
    }

    /** The actor of pruning in the audit trail. */
    public static final String SYSTEM_ACTOR = "system:retention";

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    public RetentionService(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public Site site() { return db.read(RetentionService::site); }

    static Site site(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min_free_disk_percent, audit_max_age_days, age_pruning_from FROM retention_site WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return new Site(10, null, Instant.EPOCH);
            int floor = rs.getInt(1);
            int auditDays = rs.getInt(2);
            Integer audit = rs.wasNull() ? null : auditDays;
            return new Site(floor, audit, Instant.ofEpochMilli(rs.getLong(3)));
        }
    }

    public Policy policy(String tenantId) {
        return db.read(c -> {
            Site s = site(c);
            Integer days = explicitDays(c, tenantId);
            return new Policy(tenantId, days == null ? DEFAULT_MAX_AGE_DAYS : days, days != null, s);
        });
    }

    private static Integer explicitDays(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max_age_days FROM retention_policies WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Every tenant's retention in days (the default where none was set), by tenant id, in creation order. */
    public Map<String, Integer> maxAgeByTenant() {
        return db.read(RetentionService::maxAgeByTenant);
    }

    static Map<String, Integer> maxAgeByTenant(Connection c) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.tenant_id, p.max_age_days FROM tenants t LEFT JOIN retention_policies p"
                + " ON p.tenant_id = t.tenant_id ORDER BY t.created_at, t.tenant_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String tenant = rs.getString(1);
                int d = rs.getInt(2);
                out.put(tenant, rs.wasNull() ? DEFAULT_MAX_AGE_DAYS : d); // wasNull speaks of the column read last
            }
        }
        return out;
    }

    public Totals totals(String tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pruned_total, forced_total, forced_held_total, last_prune_at, last_forced_at"
                    + " FROM retention_state WHERE tenant_id = ?")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Totals.NONE;
                    return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), instant(rs, 4), instant(rs, 5));
                }
            }
        });
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Sets how long the tenant's events are kept; audited in the tenant's trail. */
    public Policy setMaxAgeDays(Principal p, int days) {
        validDays(days, "max_age_days");
        long now = clock.millis();
        return db.write(w -> {
            Integer before = explicitDays(w.connection(), p.tenantId());
            int old = before == null ? DEFAULT_MAX_AGE_DAYS : before;
            PreparedStatement ps = w.prepare("INSERT INTO retention_policies (tenant_id, max_age_days, updated_at) VALUES (?,?,?)"
                    + " ON CONFLICT (tenant_id) DO UPDATE SET max_age_days = excluded.max_age_days, updated_at = excluded.updated_at");
            ps.setString(1, p.tenantId());
            ps.setInt(2, days);
            ps.setLong(3, now);
            ps.executeUpdate();
            if (before == null || before != days) {
                audit.append(w, p.tenantId(), p.actor(), AuditAction.RETENTION_CHANGED, p.tenantId(), change("max_age_days", old, days));
            }
            return new Policy(p.tenantId(), days, true, site(w.connection()));
        });
    }

    /** A change of the operator's settings: null leaves a value as it is. */
    public record SiteChange(Integer minFreeDiskPercent, Integer auditMaxAgeDays, boolean auditOff) {
        public SiteChange {
            if (minFreeDiskPercent != null && (minFreeDiskPercent < 0 || minFreeDiskPercent > MAX_FLOOR_PERCENT)) {
                throw ApiException.invalidRequest("min_free_disk_percent must be between 0 (no floor) and " + MAX_FLOOR_PERCENT
                        + ": the share of the data directory's disk that pruning keeps free.");
            }
            if (auditMaxAgeDays != null) validDays(auditMaxAgeDays, "audit_max_age_days");
            if (auditOff && auditMaxAgeDays != null) throw ApiException.invalidRequest("audit_max_age_days is either a number of days or off, not both.");
        }

        boolean empty() { return minFreeDiskPercent == null && auditMaxAgeDays == null && !auditOff; }
    }

    /**
     * Changes the operator's settings; each change is audited in every tenant's trail (they reach
     * every tenant). The operator acts at this machine (the command line, the console), never over HTTP.
     */
    public Site setSite(String actor, SiteChange change) {
        if (change.empty()) return site();
        long now = clock.millis();
        return db.write(w -> {
            Site before = site(w.connection());
            int floor = change.minFreeDiskPercent() == null ? before.minFreeDiskPercent() : change.minFreeDiskPercent();
            Integer auditDays = change.auditOff() ? null : change.auditMaxAgeDays() == null ? before.auditMaxAgeDays() : change.auditMaxAgeDays();
            PreparedStatement ps = w.prepare("UPDATE retention_site SET min_free_disk_percent = ?, audit_max_age_days = ?, updated_at = ? WHERE id = 1");
            ps.setInt(1, floor);
            ps.setObject(2, auditDays);
            ps.setLong(3, now);
            ps.executeUpdate();
            List<ObjectNode> changes = new ArrayList<>();
            if (floor != before.minFreeDiskPercent()) changes.add(change("min_free_disk_percent", before.minFreeDiskPercent(), floor));
            if (!java.util.Objects.equals(auditDays, before.auditMaxAgeDays())) {
                changes.add(change("audit_max_age_days", before.auditMaxAgeDays(), auditDays));
            }
            if (!changes.isEmpty()) auditEveryTenant(w, actor, changes);
            return new Site(floor, auditDays, before.agePruningFrom());
        });
    }

    private void auditEveryTenant(WriteContext w, String actor, List<ObjectNode> changes) throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (ResultSet rs = w.prepare("SELECT tenant_id FROM tenants ORDER BY created_at, tenant_id").executeQuery()) {
            while (rs.next()) tenants.add(rs.getString(1));
        }
        for (String t : tenants) {
            for (ObjectNode d : changes) audit.append(w, t, actor, AuditAction.RETENTION_CHANGED, "site", d.deepCopy().put("scope", "site"));
        }
    }

    private static ObjectNode change(String setting, Integer old, Integer now) {
        ObjectNode o = Json.object().put("setting", setting);
        if (old == null) o.putNull("old"); else o.put("old", old);
        if (now == null) o.putNull("new"); else o.put("new", now);
        return o;
    }

    /** The wire shape of GET/PUT /api/retention and {@code retention show}. */
    public static ObjectNode toJson(Policy p) {
        ObjectNode o = Json.object().put("max_age_days", p.maxAgeDays()).put("min_free_disk_percent", p.site().minFreeDiskPercent());
        if (p.site().auditMaxAgeDays() == null) o.putNull("audit_max_age_days"); else o.put("audit_max_age_days", p.site().auditMaxAgeDays());
        return o.put("max_age_days_is_default", !p.explicit());
    }

    /**
     * A tenant's {@code PUT /api/retention}: its own {@code max_age_days}. The operator's two values may
     * come along unchanged (a client sends back what it read), but never changed: they reach every
     * tenant, and are set at the gateway's machine.
     */
    public Policy apply(Principal p, com.fasterxml.jackson.databind.JsonNode body) {
        java.util.Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!List.of("max_age_days", "min_free_disk_percent", "audit_max_age_days", "max_age_days_is_default").contains(f)) {
                throw ApiException.invalidRequest("Field '" + f + "' is not a retention setting; send max_age_days.");
            }
        }
        com.fasterxml.jackson.databind.JsonNode days = body.get("max_age_days");
        if (days == null || !days.canConvertToInt() || !days.isIntegralNumber()) {
            throw ApiException.invalidRequest("Field 'max_age_days' is required: a whole number of days between 1 and " + MAX_MAX_AGE_DAYS + ".");
        }
        Site site = site();
        com.fasterxml.jackson.databind.JsonNode floor = body.get("min_free_disk_percent");
        if (floor != null && !(floor.isIntegralNumber() && floor.asInt() == site.minFreeDiskPercent())) {
            throw ApiException.invalidRequest("Field 'min_free_disk_percent' is the operator's setting for the whole gateway: set it on the gateway's"
                    + " machine with 'airotech-connect retention set --min-free-disk-percent N', or leave it out.");
        }
        com.fasterxml.jackson.databind.JsonNode auditDays = body.get("audit_max_age_days");
        if (auditDays != null && !(auditDays.isNull() ? site.auditMaxAgeDays() == null
                : auditDays.isIntegralNumber() && site.auditMaxAgeDays() != null && auditDays.asInt() == site.auditMaxAgeDays())) {
            throw ApiException.invalidRequest("Field 'audit_max_age_days' is the operator's setting for the whole gateway: set it on the gateway's"
                    + " machine with 'airotech-connect retention set --audit-max-age-days N|off', or leave it out.");
        }
        return setMaxAgeDays(p, days.asInt());
    }

    static void validDays(int days, String field) {
        if (days < 1 || days > MAX_MAX_AGE_DAYS) {
            throw ApiException.invalidRequest(field + " must be a whole number of days between 1 and " + MAX_MAX_AGE_DAYS + ".");
        }
    }
}
