package com.airotech.connect.tenant;

import com.airotech.connect.store.WriteContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of tenants and their admin tokens (only a token's SHA-256 is stored); {@link TenantService} keeps the rules. */
final class TenantRepository {

    /** What an admin token stands for: its principal, until when it authenticates (null: the current token), and the tenant's state. */
    record TokenState(Principal principal, Instant validUntil, boolean tenantDisabled) {}

    boolean nameExists(WriteContext w, String name) throws SQLException {
        PreparedStatement exists = w.prepare("SELECT 1 FROM tenants WHERE name = ?");
        exists.setString(1, name);
        try (ResultSet rs = exists.executeQuery()) {
            return rs.next();
        }
    }

    void insertTenant(WriteContext w, String tenantId, String name, Instant createdAt) throws SQLException {
        PreparedStatement t = w.prepare("INSERT INTO tenants (tenant_id, name, created_at) VALUES (?,?,?)");
        t.setString(1, tenantId);
        t.setString(2, name);
        t.setLong(3, createdAt.toEpochMilli());
        t.executeUpdate();
    }

    void insertAdminToken(WriteContext w, String tokenSha256, String tenantId, String label, Instant createdAt) throws SQLException {
        PreparedStatement k = w.prepare("INSERT INTO admin_tokens (token_sha256, tenant_id, label, created_at) VALUES (?,?,?,?)");
        k.setString(1, tokenSha256);
        k.setString(2, tenantId);
        k.setString(3, label);
        k.setLong(4, createdAt.toEpochMilli());
        k.executeUpdate();
    }

    List<Tenant> list(Connection c) throws SQLException {
        List<Tenant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, name, created_at, disabled_at FROM tenants ORDER BY created_at, tenant_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long disabled = rs.getLong(4);
                Instant disabledAt = rs.wasNull() ? null : Instant.ofEpochMilli(disabled);
                out.add(new Tenant(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), disabledAt));
            }
        }
        return out;
    }

    /** The live (not revoked) admin token with this SHA-256. */
    Optional<TokenState> token(Connection c, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT k.tenant_id, k.label, k.valid_until, t.disabled_at FROM admin_tokens k"
                + " JOIN tenants t ON t.tenant_id = k.tenant_id WHERE k.token_sha256 = ? AND k.revoked_at IS NULL")) {
            ps.setString(1, tokenSha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                Principal p = new Principal(rs.getString(1), rs.getString(2));
                long until = rs.getLong(3);
                Instant validUntil = rs.wasNull() ? null : Instant.ofEpochMilli(until);
                rs.getLong(4);
                return Optional.of(new TokenState(p, validUntil, !rs.wasNull()));
            }
        }
    }

    /** Ends at once the tokens still in the grace of an earlier rotation. */
    void endTokensInGrace(WriteContext w, String tenantId, Instant now) throws SQLException {
        PreparedStatement end = w.prepare("UPDATE admin_tokens SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL AND valid_until IS NOT NULL");
        end.setLong(1, now.toEpochMilli());
        end.setString(2, tenantId);
        end.executeUpdate();
    }

    /** The label of the tenant's newest admin token, if it has any. */
    Optional<String> newestTokenLabel(WriteContext w, String tenantId) throws SQLException {
        PreparedStatement lbl = w.prepare("SELECT label FROM admin_tokens WHERE tenant_id = ? ORDER BY created_at DESC LIMIT 1");
        lbl.setString(1, tenantId);
        try (ResultSet rs = lbl.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Gives the current token (the one without an end) its grace. */
    void graceCurrentToken(WriteContext w, String tenantId, Instant until) throws SQLException {
        PreparedStatement grace0 = w.prepare("UPDATE admin_tokens SET valid_until = ? WHERE tenant_id = ? AND revoked_at IS NULL AND valid_until IS NULL");
        grace0.setLong(1, until.toEpochMilli());
        grace0.setString(2, tenantId);
        grace0.executeUpdate();
    }

    /** Revokes every live token of the tenant; returns how many. */
    int revokeTokens(WriteContext w, String tenantId, Instant now) throws SQLException {
        PreparedStatement up = w.prepare("UPDATE admin_tokens SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL");
        up.setLong(1, now.toEpochMilli());
        up.setString(2, tenantId);
        return up.executeUpdate();
    }

    /** Marks the tenant disabled (or enabled); false when it already was. */
    boolean setDisabled(WriteContext w, String tenantId, boolean disabled, Instant now) throws SQLException {
        PreparedStatement up;
        if (disabled) {
            up = w.prepare("UPDATE tenants SET disabled_at = ? WHERE tenant_id = ? AND disabled_at IS NULL");
            up.setLong(1, now.toEpochMilli());
            up.setString(2, tenantId);
        } else {
            up = w.prepare("UPDATE tenants SET disabled_at = NULL WHERE tenant_id = ? AND disabled_at IS NOT NULL");
            up.setString(1, tenantId);
        }
        return up.executeUpdate() != 0;
    }

    /** The tenant's name, if it exists. */
    Optional<String> name(WriteContext w, String tenantId) throws SQLException {
        PreparedStatement ps = w.prepare("SELECT name FROM tenants WHERE tenant_id = ?");
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }
}
