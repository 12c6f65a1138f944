package com.airotech.connect.connection;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.WriteContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for connections, their version pointers and status, tenant outbound settings and OAuth2 states. */
final class ConnectionRepository {
    private static final String COLUMNS = "tenant_id, connection_id, name, kind, base_url, config, probe_path, external_id, secret_backend, "
            + "current_version, staged_version, status, status_detail, last_probe_at, created_at, updated_at";

    private final Database db;

    ConnectionRepository(Database db) { this.db = db; }

    void insert(WriteContext w, com.airotech.connect.connection.Connection c) throws SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO connections (" + COLUMNS + ", next_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)");
        ps.setString(1, c.tenantId());
        ps.setString(2, c.connectionId());
        ps.setString(3, c.name());
        ps.setString(4, c.kind().wire());
        ps.setString(5, c.baseUrl());
        ps.setString(6, Json.write(c.config().toJson()));
        ps.setString(7, c.probePath());
        ps.setString(8, c.externalId());
        ps.setString(9, c.secretBackend());
        ps.setNull(10, Types.INTEGER);
        ps.setNull(11, Types.INTEGER);
        ps.setString(12, c.status().wire());
        ps.setString(13, DetailCodec.encode(c.statusDetail()));
        ps.setNull(14, Types.INTEGER);
        ps.setLong(15, c.createdAt().toEpochMilli());
        ps.setLong(16, c.updatedAt().toEpochMilli());
        ps.executeUpdate();
    }

    boolean nameTaken(WriteContext w, String tenantId, String name) throws SQLException {
        PreparedStatement ps = w.prepare("SELECT 1 FROM connections WHERE tenant_id = ? AND name = ?");
        ps.setString(1, tenantId);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    Optional<com.airotech.connect.connection.Connection> find(String tenantId, String connectionId) {
        return db.read(c -> find(c, tenantId, connectionId));
    }

    Optional<com.airotech.connect.connection.Connection> find(WriteContext w, String tenantId, String connectionId) throws SQLException {
        return find(w.connection(), tenantId, connectionId);
    }

    private static Optional<com.airotech.connect.connection.Connection> find(Connection c, String tenantId, String connectionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM connections WHERE tenant_id = ? AND connection_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    List<com.airotech.connect.connection.Connection> list(String tenantId) {
        return db.read(c -> {
            List<com.airotech.connect.connection.Connection> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM connections WHERE tenant_id = ? ORDER BY created_at, rowid")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
            }
            return out;
        });
    }

    private static com.airotech.connect.connection.Connection row(ResultSet rs) throws SQLException {
        ObjectNode cfg = (ObjectNode) Json.tree(rs.getString(6));
        ConnectionKind kind = ConnectionKind.fromWire(rs.getString(4));
        return new com.airotech.connect.connection.Connection(rs.getString(1), rs.getString(2), rs.getString(3),
                kind, rs.getString(5), kind.spec().config(cfg, KindConfig.Common.of(cfg)), rs.getString(7), rs.getString(8), rs.getString(9),
                integer(rs, 10), integer(rs, 11), ConnectionStatus.fromWire(rs.getString(12)), DetailCodec.decode(rs.getString(13)), instant(rs, 14),
                Instant.ofEpochMilli(rs.getLong(15)), Instant.ofEpochMilli(rs.getLong(16)));
    }

    private static Integer integer(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Takes the next version number and marks it staged. */
    int stageVersion(WriteContext w, String tenantId, String connectionId, long now) throws SQLException {
        PreparedStatement sel = w.prepare("SELECT next_version FROM connections WHERE tenant_id = ? AND connection_id = ?");
        sel.setString(1, tenantId);
        sel.setString(2, connectionId);
        int v;
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("connection vanished");
            v = rs.getInt(1);
        }
        PreparedStatement upd = w.prepare("UPDATE connections SET next_version = ?, staged_version = ?, updated_at = ? WHERE tenant_id = ? AND connection_id = ?");
        upd.setInt(1, v + 1);
        upd.setInt(2, v);
        upd.setLong(3, now);
        upd.setString(4, tenantId);
        upd.setString(5, connectionId);
        upd.executeUpdate();
        return v;
    }

    /** Puts a version in force with a status; returns the version it replaced (or null). */
    Integer commitVersion(WriteContext w, String tenantId, String connectionId, int version, ConnectionStatus status, Detail detail,
                          Long probedAt, long now) throws SQLException {
        PreparedStatement sel = w.prepare("SELECT current_version, staged_version FROM connections WHERE tenant_id = ? AND connection_id = ?");
        sel.setString(1, tenantId);
        sel.setString(2, connectionId);
        Integer previous;
        Integer staged;
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("connection vanished");
            previous = integer(rs, 1);
            staged = integer(rs, 2);
        }
        PreparedStatement upd = w.prepare("UPDATE connections SET current_version = ?, staged_version = ?, status = ?, status_detail = ?, "
                + "last_probe_at = COALESCE(?, last_probe_at), updated_at = ? WHERE tenant_id = ? AND connection_id = ?");
        upd.setInt(1, version);
        if (staged == null || staged == version) upd.setNull(2, Types.INTEGER); else upd.setInt(2, staged);
        upd.setString(3, status.wire());
        upd.setString(4, DetailCodec.encode(detail));
        if (probedAt == null) upd.setNull(5, Types.INTEGER); else upd.setLong(5, probedAt);
        upd.setLong(6, now);
        upd.setString(7, tenantId);
        upd.setString(8, connectionId);
        upd.executeUpdate();
        return previous;
    }

    void unstage(WriteContext w, String tenantId, String connectionId, int version, long now) throws SQLException {
        PreparedStatement upd = w.prepare("UPDATE connections SET staged_version = NULL, updated_at = ? WHERE tenant_id = ? AND connection_id = ? AND staged_version = ?");
        upd.setLong(1, now);
        upd.setString(2, tenantId);
        upd.setString(3, connectionId);
        upd.setInt(4, version);
        upd.executeUpdate();
    }

    void setStatus(WriteContext w, String tenantId, String connectionId, ConnectionStatus status, Detail detail, Long probedAt, long now) throws SQLException {
        PreparedStatement upd = w.prepare("UPDATE connections SET status = ?, status_detail = ?, last_probe_at = COALESCE(?, last_probe_at), updated_at = ? "
                + "WHERE tenant_id = ? AND connection_id = ?");
        upd.setString(1, status.wire());
        upd.setString(2, DetailCodec.encode(detail));
        if (probedAt == null) upd.setNull(3, Types.INTEGER); else upd.setLong(3, probedAt);
        upd.setLong(4, now);
        upd.setString(5, tenantId);
        upd.setString(6, connectionId);
        upd.executeUpdate();
    }

    void delete(WriteContext w, String tenantId, String connectionId) throws SQLException {
        for (String sql : List.of("DELETE FROM oauth_states WHERE tenant_id = ? AND connection_id = ?",
                "DELETE FROM connection_secrets WHERE tenant_id = ? AND connection_id = ?",
                "DELETE FROM connections WHERE tenant_id = ? AND connection_id = ?")) {
            PreparedStatement ps = w.prepare(sql);
            ps.setString(1, tenantId);
            ps.setString(2, connectionId);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ tenant settings

    OutboundSettings settings(String tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_backend, aws_region, allowed_targets FROM tenant_connection_settings WHERE tenant_id = ?")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return OutboundSettings.defaults(tenantId);
                    return new OutboundSettings(tenantId, rs.getString(1), rs.getString(2), policy(rs.getString(3)));
                }
            }
        });
    }

    private static AddressPolicy policy(String json) {
        JsonNode n = json == null ? null : Json.tree(json);
        if (n == null || !n.isArray()) return AddressPolicy.defaults();
        List<String> rules = new ArrayList<>();
        n.forEach(x -> rules.add(x.asText()));
        return new AddressPolicy(rules);
    }

    void saveSettings(WriteContext w, OutboundSettings s, long now) throws SQLException {
        ArrayNode rules = Json.MAPPER.createArrayNode();
        s.policy().rules().forEach(rules::add);
        PreparedStatement ps = w.prepare("INSERT INTO tenant_connection_settings (tenant_id, secret_backend, aws_region, allowed_targets, updated_at) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (tenant_id) DO UPDATE SET secret_backend = excluded.secret_backend, aws_region = excluded.aws_region, "
                + "allowed_targets = excluded.allowed_targets, updated_at = excluded.updated_at");
        ps.setString(1, s.tenantId());
        ps.setString(2, s.secretBackend());
        ps.setString(3, s.awsRegion());
        ps.setString(4, Json.write(rules));
        ps.setLong(5, now);
        ps.executeUpdate();
    }

    // ------------------------------------------------------------------ OAuth2 states

    record PendingConsent(String tenantId, String connectionId, byte[] sealedVerifier, String redirectUri, String actor, long expiresAt) {}

    void insertState(WriteContext w, String stateSha256, String tenantId, String connectionId, byte[] sealedVerifier, String redirectUri,
                     String actor, long now, long expiresAt) throws SQLException {
        PreparedStatement purge = w.prepare("DELETE FROM oauth_states WHERE expires_at < ?");
        purge.setLong(1, now);
        purge.executeUpdate();
        PreparedStatement ps = w.prepare("INSERT INTO oauth_states (state_sha256, tenant_id, connection_id, sealed_verifier, redirect_uri, actor, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)");
        ps.setString(1, stateSha256);
        ps.setString(2, tenantId);
        ps.setString(3, connectionId);
        ps.setBytes(4, sealedVerifier);
        ps.setString(5, redirectUri);
        ps.setString(6, actor);
        ps.setLong(7, now);
        ps.setLong(8, expiresAt);
        ps.executeUpdate();
    }

    /** Removes and returns a state: a state is good for one callback only. */
    Optional<PendingConsent> takeState(WriteContext w, String stateSha256) throws SQLException {
        PreparedStatement sel = w.prepare("SELECT tenant_id, connection_id, sealed_verifier, redirect_uri, actor, expires_at FROM oauth_states WHERE state_sha256 = ?");
        sel.setString(1, stateSha256);
        PendingConsent p;
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            p = new PendingConsent(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5), rs.getLong(6));
        }
        PreparedStatement del = w.prepare("DELETE FROM oauth_states WHERE state_sha256 = ?");
        del.setString(1, stateSha256);
        del.executeUpdate();
        return Optional.of(p);
    }
}
