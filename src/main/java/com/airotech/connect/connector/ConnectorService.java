package com.airotech.connect.connector;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.pki.Pem;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.ChangeWatcher;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.InvalidatingCache;
import com.airotech.connect.store.WriteContext;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, rotation and revocation of connectors, and the cached view that inbound
 * verification reads. Every method takes the tenant from the principal; no query reads a row
 * without the tenant in its WHERE clause.
 */
public final class ConnectorService {
    private static final Logger log = LoggerFactory.getLogger(ConnectorService.class);
    /** Retired credentials stay known this long, so their use is answered credential_expired. */
    private static final Duration RETIRED_KEPT = Duration.ofDays(7);

    private final Database db;
    private final AuditLog audit;
    private final Sealer sealer;
    private final Clock clock;
    private final ChangeWatcher changes;
    private final Map<AuthMethod, CredentialIssuer> issuers = new EnumMap<>(AuthMethod.class);
    private final InvalidatingCache<String, Optional<ConnectorAuth>> authCache = new InvalidatingCache<>(100_000);

    public ConnectorService(Database db, AuditLog audit, Sealer sealer, Clock clock, ChangeWatcher changes, List<CredentialIssuer> issuers) {
        this.db = db;
        this.audit = audit;
        this.sealer = sealer;
        this.clock = clock;
        this.changes = changes;
        for (CredentialIssuer i : issuers) this.issuers.put(i.method(), i);
        changes.onChange(authCache::invalidateAll);
    }

    public Set<AuthMethod> supportedMethods() { return Set.copyOf(issuers.keySet()); }

    private CredentialIssuer issuer(AuthMethod m) {
        CredentialIssuer i = issuers.get(m);
        if (i == null) throw ApiException.invalidRequest("Auth method '" + m.wire() + "' is not available on this gateway.");
        return i;
    }

    // ------------------------------------------------------------------ administration

    public Registration register(Principal p, RegistrationRequest r) {
        String connectorId = Crypto.newId("cn");
        String credentialId = Crypto.newId("cr");
        IssuedCredential issued = issuer(r.authMethod()).issue(new CredentialOwner(p.tenantId(), connectorId, credentialId), r.options());
        Instant now = clock.instant();
        db.write(w -> {
            PreparedStatement ins = w.prepare("INSERT INTO connectors (tenant_id, connector_id, system_name, webhook_url, auth_method, event_types, grace_seconds, status, created_at) VALUES (?,?,?,?,?,?,?,'active',?)");
            ins.setString(1, p.tenantId());
            ins.setString(2, connectorId);
            ins.setString(3, r.systemName());
            ins.setString(4, r.webhookUrl());
            ins.setString(5, r.authMethod().wire());
            if (r.eventTypes() == null) ins.setNull(6, Types.VARCHAR); else ins.setString(6, Json.write(r.eventTypes()));
            ins.setInt(7, r.graceSeconds());
            ins.setLong(8, now.toEpochMilli());
            ins.executeUpdate();
            insertCredential(w, p.tenantId(), connectorId, credentialId, issued.stored(), now);
            ObjectNode detail = Json.object().put("system_name", r.systemName()).put("auth_method", r.authMethod().wire())
                    .put("credential_id", credentialId).put("credential_sha256", issued.credentialSha256());
            if (r.eventTypes() != null) detail.set("event_types", Json.MAPPER.valueToTree(r.eventTypes()));
            if (issued.stored().certSha256() != null) detail.put("certificate_sha256", issued.stored().certSha256());
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTOR_REGISTERED, connectorId, detail);
            return null;
        });
        changes.changed();
        log.info("connector {} registered for tenant {} ({})", connectorId, p.tenantId(), r.authMethod().wire());
        return new Registration(get(p, connectorId), issued);
    }

    private static void insertCredential(WriteContext w, String tenantId, String connectorId, String credentialId,
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

    /**
     * Issues a new credential; the previous stays valid for the grace ({@code graceSeconds}, or the
     * connector's own when null) and one still in an earlier grace ends at once.
     */
    /** The connector is there (GET shows it revoked), so not 404: its state refuses the rotation (RFC 9110 409). */
    private static ApiException revokedCannotRotate(String connectorId) {
        return ApiException.conflict("conflict", "Connector " + connectorId + " is revoked; a revoked connector keeps no credential and cannot be rotated. Register a new connector.");
    }

    public Rotation rotate(Principal p, String connectorId, Integer graceSeconds, CredentialOptions options) {
        Connector before = get(p, connectorId);
        if (!before.active()) throw revokedCannotRotate(connectorId);
        int grace = graceSeconds == null ? before.graceSeconds() : graceSeconds;
        RegistrationRequest.validateGrace(grace);
        String credentialId = Crypto.newId("cr");
        IssuedCredential issued = issuer(before.authMethod()).issue(new CredentialOwner(p.tenantId(), connectorId, credentialId),
                options == null ? CredentialOptions.NONE : options);
        Instant now = clock.instant();
        Instant previousUntil = now.plusSeconds(grace);
        db.write(w -> {
            PreparedStatement check = w.prepare("SELECT status FROM connectors WHERE tenant_id = ? AND connector_id = ?");
            check.setString(1, p.tenantId());
            check.setString(2, connectorId);
            try (ResultSet rs = check.executeQuery()) {
                if (!rs.next()) throw ApiException.notFound("Connector " + connectorId);
                if (!"active".equals(rs.getString(1))) throw revokedCannotRotate(connectorId);
            }
            PreparedStatement endOld = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND valid_until IS NOT NULL AND valid_until > ?");
            endOld.setLong(1, now.toEpochMilli());
            endOld.setString(2, p.tenantId());
            endOld.setString(3, connectorId);
            endOld.setLong(4, now.toEpochMilli());
            endOld.executeUpdate();
            PreparedStatement retire = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND valid_until IS NULL");
            retire.setLong(1, previousUntil.toEpochMilli());
            retire.setString(2, p.tenantId());
            retire.setString(3, connectorId);
            retire.executeUpdate();
            insertCredential(w, p.tenantId(), connectorId, credentialId, issued.stored(), now);
            ObjectNode detail = Json.object().put("credential_id", credentialId).put("credential_sha256", issued.credentialSha256())
                    .put("previous_valid_until", com.airotech.connect.common.Times.format(previousUntil)).put("grace_seconds", grace);
            if (issued.stored().certSha256() != null) detail.put("certificate_sha256", issued.stored().certSha256());
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTOR_ROTATED, connectorId, detail);
            return null;
        });
        changes.changed();
        log.info("connector {} of tenant {} rotated; previous credential valid for {} s", connectorId, p.tenantId(), grace);
        return new Rotation(get(p, connectorId), issued, previousUntil);
    }

    public record Rotation(Connector connector, IssuedCredential issued, Instant previousValidUntil) {}

    /**
     * Changes what an active connector declares (webhook URL, allowed event types, rotation grace);
     * never its method or credential. Changes nothing, and audits nothing, when all are as stored.
     */
    public Connector updateDeclaration(Principal p, String connectorId, String webhookUrl, List<String> eventTypes, int graceSeconds) {
        Connector before = get(p, connectorId);
        if (!before.active()) throw ApiException.notFound("Connector " + connectorId);
        RegistrationRequest checked = new RegistrationRequest(before.systemName(), webhookUrl, before.authMethod(), eventTypes, graceSeconds, null);
        boolean sameTypes = before.eventTypes() == null ? checked.eventTypes() == null
                : checked.eventTypes() != null && Set.copyOf(before.eventTypes()).equals(Set.copyOf(checked.eventTypes()));
        if (java.util.Objects.equals(before.webhookUrl(), checked.webhookUrl()) && sameTypes && before.graceSeconds() == checked.graceSeconds()) {
            return before;
        }
        db.write(w -> {
            PreparedStatement up = w.prepare("UPDATE connectors SET webhook_url = ?, event_types = ?, grace_seconds = ? WHERE tenant_id = ? AND connector_id = ? AND status = 'active'");
            up.setString(1, checked.webhookUrl());
            if (checked.eventTypes() == null) up.setNull(2, Types.VARCHAR); else up.setString(2, Json.write(checked.eventTypes()));
            up.setInt(3, checked.graceSeconds());
            up.setString(4, p.tenantId());
            up.setString(5, connectorId);
            if (up.executeUpdate() == 0) throw ApiException.notFound("Connector " + connectorId);
            ObjectNode detail = Json.object().put("grace_seconds", checked.graceSeconds());
            if (checked.webhookUrl() != null) detail.put("webhook_url", checked.webhookUrl()); else detail.putNull("webhook_url");
            if (checked.eventTypes() != null) detail.set("event_types", Json.MAPPER.valueToTree(checked.eventTypes())); else detail.putNull("event_types");
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTOR_UPDATED, connectorId, detail);
            return null;
        });
        changes.changed();
        log.info("connector {} of tenant {} updated", connectorId, p.tenantId());
        return get(p, connectorId);
    }

    /** Revokes at once: every credential stops working. Revoking twice changes nothing more. */
    public Connector revoke(Principal p, String connectorId) {
        Connector before = get(p, connectorId);
        if (!before.active()) return before;
        Instant now = clock.instant();
        db.write(w -> {
            PreparedStatement up = w.prepare("UPDATE connectors SET status = 'revoked', revoked_at = ? WHERE tenant_id = ? AND connector_id = ? AND status = 'active'");
            up.setLong(1, now.toEpochMilli());
            up.setString(2, p.tenantId());
            up.setString(3, connectorId);
            if (up.executeUpdate() == 0) return null;
            PreparedStatement creds = w.prepare("UPDATE connector_credentials SET valid_until = ? WHERE tenant_id = ? AND connector_id = ? AND (valid_until IS NULL OR valid_until > ?)");
            creds.setLong(1, now.toEpochMilli());
            creds.setString(2, p.tenantId());
            creds.setString(3, connectorId);
            creds.setLong(4, now.toEpochMilli());
            creds.executeUpdate();
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTOR_REVOKED, connectorId,
                    Json.object().put("system_name", before.systemName()).put("auth_method", before.authMethod().wire()));
            return null;
        });
        changes.changed();
        log.info("connector {} of tenant {} revoked", connectorId, p.tenantId());
        return get(p, connectorId);
    }

    private static final String VIEW = """
            SELECT c.connector_id, c.tenant_id, c.system_name, c.webhook_url, c.auth_method, c.event_types, c.grace_seconds,
                   c.status, c.created_at, c.revoked_at, cur.secret_sha256, cur.created_at, cur.cert_sha256, cur.cert_not_after,
                   (SELECT max(p.valid_until) FROM connector_credentials p
                     WHERE p.tenant_id = c.tenant_id AND p.connector_id = c.connector_id AND p.valid_until IS NOT NULL) AS prev_until
              FROM connectors c
              LEFT JOIN connector_credentials cur
                ON cur.tenant_id = c.tenant_id AND cur.connector_id = c.connector_id AND cur.valid_until IS NULL
             WHERE c.tenant_id = ?""";

    public List<Connector> list(Principal p) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW + " ORDER BY c.created_at, c.rowid")) {
                ps.setString(1, p.tenantId());
                return readConnectors(ps);
            }
        });
    }

    /** The tenant's connector, or {@code 404 not_found} (also when it belongs to another tenant). */
    public Connector get(Principal p, String connectorId) {
        List<Connector> found = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW + " AND c.connector_id = ?")) {
                ps.setString(1, p.tenantId());
                ps.setString(2, connectorId);
                return readConnectors(ps);
            }
        });
        if (found.isEmpty()) throw ApiException.notFound("Connector " + Text.sanitize(connectorId, 64));
        return found.get(0);
    }

    private List<Connector> readConnectors(PreparedStatement ps) throws SQLException {
        Instant now = clock.instant();
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

    // ------------------------------------------------------------------ verification view

    private static String key(String tenantId, String connectorId) { return tenantId + "/" + connectorId; }

    /** The verification view if it is cached; null when reading it would need the database. */
    public Optional<ConnectorAuth> cachedAuth(String tenantId, String connectorId) {
        return authCache.getIfPresent(key(tenantId, connectorId));
    }

    /** The verification view of a connector (empty for an unknown one), read through the cache. */
    public Optional<ConnectorAuth> auth(String tenantId, String connectorId) {
        return authCache.get(key(tenantId, connectorId), k -> db.read(c -> loadAuth(c, tenantId, connectorId)));
    }

    private Optional<ConnectorAuth> loadAuth(Connection c, String tenantId, String connectorId) throws SQLException {
        AuthMethod method;
        boolean active;
        Set<String> types = null;
        // a disabled tenant's connectors are refused like revoked ones, until the operator enables it
        try (PreparedStatement ps = c.prepareStatement("SELECT c.auth_method, c.status, c.event_types, t.disabled_at FROM connectors c"
                + " JOIN tenants t ON t.tenant_id = c.tenant_id WHERE c.tenant_id = ? AND c.connector_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectorId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                method = AuthMethod.fromWire(rs.getString(1));
                rs.getLong(4);
                boolean tenantEnabled = rs.wasNull();
                active = "active".equals(rs.getString(2)) && tenantEnabled;
                String et = rs.getString(3);
                if (et != null) {
                    types = new HashSet<>();
                    for (JsonNode n : Json.tree(et)) types.add(n.asText());
                }
            }
        }
        List<CredentialState> creds = new ArrayList<>();
        long keepAfter = clock.instant().minus(RETIRED_KEPT).toEpochMilli();
        try (PreparedStatement ps = c.prepareStatement("SELECT credential_id, secret_sha256, sealed_secret, public_key_pem, cert_sha256, cert_not_after, valid_until FROM connector_credentials WHERE tenant_id = ? AND connector_id = ? AND (valid_until IS NULL OR valid_until > ?) ORDER BY created_at DESC")) {
            ps.setString(1, tenantId);
            ps.setString(2, connectorId);
            ps.setLong(3, keepAfter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String credentialId = rs.getString(1);
                    Secret hmacKey = null;
                    byte[] sealed = rs.getBytes(3);
                    if (sealed != null) {
                        try {
                            hmacKey = Secret.wrap(sealer.open(sealed, new CredentialOwner(tenantId, connectorId, credentialId).associatedData()));
                        } catch (SealedValueException e) {
                            log.error("credential {} of connector {} does not open ({}); it is ignored", credentialId, connectorId, e.getMessage());
                            continue;
                        }
                    }
                    String pem = rs.getString(4);
                    creds.add(new CredentialState(credentialId, rs.getString(2), hmacKey,
                            pem == null ? null : Pem.rsaPublicKey(pem, "public_key_pem"),
                            rs.getString(5), millis(rs, 6), millis(rs, 7)));
                }
            }
        }
        return Optional.of(new ConnectorAuth(tenantId, connectorId, method, active, types, creds));
    }

    /** For listings on the command line: the JSON view used everywhere (no material). */
    public static ObjectNode toJson(Connector c) {
        ObjectNode o = Json.object();
        o.put("connector_id", c.connectorId());
        o.put("tenant_id", c.tenantId());
        o.put("system_name", c.systemName());
        o.put("auth_method", c.authMethod().wire());
        if (c.webhookUrl() != null) o.put("webhook_url", c.webhookUrl()); else o.putNull("webhook_url");
        if (c.eventTypes() != null) {
            ArrayNode a = o.putArray("event_types");
            c.eventTypes().forEach(a::add);
        } else {
            o.putNull("event_types");
        }
        o.put("webhook_path", "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId());
        o.put("status", c.status());
        o.put("grace_seconds", c.graceSeconds());
        o.put("created_at", com.airotech.connect.common.Times.format(c.createdAt()));
        if (c.revokedAt() != null) o.put("revoked_at", com.airotech.connect.common.Times.format(c.revokedAt()));
        if (c.credentialSha256() != null) o.put("credential_sha256", c.credentialSha256());
        if (c.credentialCreatedAt() != null) o.put("credential_created_at", com.airotech.connect.common.Times.format(c.credentialCreatedAt()));
        if (c.previousValidUntil() != null) o.put("previous_valid_until", com.airotech.connect.common.Times.format(c.previousValidUntil()));
        if (c.certificateSha256() != null) o.put("certificate_sha256", c.certificateSha256());
        if (c.certificateNotAfter() != null) o.put("certificate_not_after", com.airotech.connect.common.Times.format(c.certificateNotAfter()));
        return o;
    }
}
