package com.airotech.connect.connector;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.WriteContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL of connectors and their credentials; {@link ConnectorService} keeps the rules (and opens sealed material). */
final class ConnectorRepository {

    /** What verification needs of the connector row: its method, whether it (and its tenant) is active, its allowed event types. */
    record AuthRow(AuthMethod method, boolean active, Set<String> eventTypes) {}

    /** A credential still valid or retired recently, its secret still sealed. */
    record CredentialRow(String credentialId, String secretSha256, byte[] sealedSecret, String publicKeyPem, String certSha256,
                         Instant certNotAfter, Instant validUntil) {}

    private static final String VIEW = """
            SELECT c.connector_id, c.tenant_id, c.system_name, c.webhook_url, c.auth_method, c.event_types, c.grace_seconds,
                   c.status, c.created_at, c.revoked_at, cur.secret_sha256, cur.created_at, cur.cert_sha256, cur.cert_not_after,
                   (SELECT max(p.valid_until) FROM connector_credentials p
                     WHERE p.tenant_id = c.tenant_id AND p.connector_id = c.connector_id AND p.valid_until IS NOT NULL) AS prev_until
              FROM connectors c
              LEFT JOIN connector_credentials cur
                ON cur.tenant_id = c.tenant_id AND cur.connector_id = c.connector_id AND cur.valid_until IS NULL
             WHERE c.tenant_id = ?""";

    List<Connector> list(Connection c, String tenantId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VIEW + " ORDER BY c.created_at, c.rowid")) {
            ps.setString(1, tenantId);
            return readConnectors(ps, now);
        }
    }

    Optional<Connector> find(Connection c, String tenantId, String connectorId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VIEW + " AND c.connector_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectorId);
            return readConnectors(ps, now).stream().findFirst();
        }
    }

    private static List<Connector> readConnectors(PreparedStatement ps, Instant now) throws SQLException {
        List<Connector> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> types = null;
                String et = rs.getString(6);
                if (et != null) {
                    types = new ArrayList<>();
                    for (JsonNode n : Json.tree(et)) types.add(n.asText());
                }
                Instant prevUntil = millis(rs, 15);
                if (prevUntil != null && !prevUntil.isAfter(now)) prevUntil = null;
                if (!"active".equals(rs.getString(8))) prevUntil = null;
                out.add(new Connector(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        AuthMethod.fromWire(rs.getString(5)), types, rs.getInt(7), rs.getString(8), millis(rs, 9), millis(rs, 10),
                        rs.getString(11), millis(rs, 12), prevUntil, rs.getString(13), millis(rs, 14)));
            }
        }
        return out;
    }

    private static Instant millis(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    void insertConnector(WriteContext w, String tenantId, String connectorId, RegistrationRequest r, Instant now) throws SQLException {
        PreparedStatement ins = w.prepare("INSERT INTO connectors (tenant_id, connector_id, system_name, webhook_url, auth_method, event_types, grace_seconds, status, created_at) VALUES (?,?,?,?,?,?,?,'active',?)");
        ins.setString(1, tenantId);
        ins.setString(2, connectorId);
        ins.setString(3, r.systemName());
        ins.setString(4, r.webhookUrl());
        ins.setString(5, r.authMethod().wire());
        if (r.eventTypes() == null) ins.setNull(6, Types.VARCHAR); else ins.setString(6, Json.write(r.eventTypes()));
        ins.setInt(7, r.graceSeconds());
        ins.setLong(8, now.toEpochMilli());
        ins.executeUpdate();
    }

    void insertCredential(WriteContext w, String tenantId, String connectorId, String credentialId,
                          StoredCredential s, Instant now) throws SQLException {
        PreparedStatement ins = w.prepare("INSERT INTO connector_credentials (credential_id, tenant_id, connector_id, secret_sha256, sealed_secret, public_key_pem, cert_sha256, cert_not_after, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
        ins.setString(1, credentialId);
        ins.setString(2, tenantId);
        ins.setString(3, connectorId);
        ins.setString(4, s.secretSha256());
        ins.setBytes(5, s.sealedSecret());
        ins.setString(6, s.publicKeyPem());
        ins.setString(7, s.certSha256());
        if (s.certNotAfter() == null) ins.setNull(8, Types.INTEGER); else ins.setLong(8, s.certNotAfter().toEpochMilli());
        ins.setLong(9, now.toEpochMilli());
        ins.executeUpdate();
    }

    /** The connector's status ("active", "revoked"), if it exists. */
    Optional<String> status(WriteContext w, String tenantId, String connectorId) throws SQLException {
        PreparedStatement check = w.prepare("SELECT status FROM connectors WHERE tenant_id = ? AND connector_id = ?");
        check.setString(1, tenantId);
        check.setString(2, connectorId);
        try (ResultSet rs = check.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Before a new credential: one still in an earlier grace ends now, the current one stays valid until {@code previousUntil}. */
    void retireCredentials(WriteContext w, String tenantId, String connectorId, Instant now, Instant previousUntil) throws SQLException {
        PreparedStatement endOld = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND valid_until IS NOT NULL AND valid_until > ?");
        endOld.setLong(1, now.toEpochMilli());
        endOld.setString(2, tenantId);
        endOld.setString(3, connectorId);
        endOld.setLong(4, now.toEpochMilli());
        endOld.executeUpdate();
        PreparedStatement retire = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND valid_until IS NULL");
        retire.setLong(1, previousUntil.toEpochMilli());
        retire.setString(2, tenantId);
        retire.setString(3, connectorId);
        retire.executeUpdate();
    }

    /** Stores an active connector's declaration; false when there is no such active connector. */
    boolean updateDeclaration(WriteContext w, String tenantId, String connectorId, RegistrationRequest checked) throws SQLException {
        PreparedStatement up = w.prepare("UPDATE connectors SET webhook_url = ?, event_types = ?, grace_seconds = ? WHERE tenant_id = ? AND connector_id = ? AND status = 'active'");
        up.setString(1, checked.webhookUrl());
        if (checked.eventTypes() == null) up.setNull(2, Types.VARCHAR); else up.setString(2, Json.write(checked.eventTypes()));
        up.setInt(3, checked.graceSeconds());
        up.setString(4, tenantId);
        up.setString(5, connectorId);
        return up.executeUpdate() != 0;
    }

    /** Revokes an active connector and ends every credential of it now; false when it was not active. */
    boolean revoke(WriteContext w, String tenantId, String connectorId, Instant now) throws SQLException {
        PreparedStatement up = w.prepare("UPDATE connectors SET status = 'revoked', revoked_at = ? WHERE tenant_id = ? AND connector_id = ? AND status = 'active'");
        up.setLong(1, now.toEpochMilli());
        up.setString(2, tenantId);
        up.setString(3, connectorId);
        if (up.executeUpdate() == 0) return false;
        PreparedStatement creds = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND (valid_until IS NULL OR valid_until > ?)");
        creds.setLong(1, now.toEpochMilli());
        creds.setString(2, tenantId);
        creds.setString(3, connectorId);
        creds.setLong(4, now.toEpochMilli());
        creds.executeUpdate();
        return true;
    }

    Optional<AuthRow> authRow(Connection c, String tenantId, String connectorId) throws SQLException {
        // a disabled tenant's connectors are refused like revoked ones, until the operator enables it
        try (PreparedStatement ps = c.prepareStatement("SELECT c.auth_method, c.status, c.event_types, t.disabled_at FROM connectors c"
                + " JOIN tenants t ON t.tenant_id = c.tenant_id WHERE c.tenant_id = ? AND c.connector_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectorId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                AuthMethod method = AuthMethod.fromWire(rs.getString(1));
                rs.getLong(4);
                boolean tenantEnabled = rs.wasNull();
                boolean active = "active".equals(rs.getString(2)) && tenantEnabled;
                Set<String> types = null;
                String et = rs.getString(3);
                if (et != null) {
                    types = new HashSet<>();
                    for (JsonNode n : Json.tree(et)) types.add(n.asText());
                }
                return Optional.of(new AuthRow(method, active, types));
            }
        }
    }

    /** The connector's credentials valid now or ended after {@code keepAfterMillis}, newest first. */
    List<CredentialRow> credentials(Connection c, String tenantId, String connectorId, long keepAfterMillis) throws SQLException {
        List<CredentialRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT credential_id, secret_sha256, sealed_secret, public_key_pem, cert_sha256, cert_not_after, valid_until FROM connector_credentials WHERE tenant_id = ? AND connector_id = ? AND (valid_until IS NULL OR valid_until > ?) ORDER BY created_at DESC")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectorId);
            ps.setLong(3, keepAfterMillis);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CredentialRow(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5),
                            millis(rs, 6), millis(rs, 7)));
                }
            }
        }
        return out;
    }
}
