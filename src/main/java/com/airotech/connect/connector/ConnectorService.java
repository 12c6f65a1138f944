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
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
    private final ConnectorRepository repo = new ConnectorRepository();
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
            repo.insertConnector(w, p.tenantId(), connectorId, r, now);
            repo.insertCredential(w, p.tenantId(), connectorId, credentialId, issued.stored(), now);
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
            String status = repo.status(w, p.tenantId(), connectorId).orElseThrow(() -> ApiException.notFound("Connector " + connectorId));
            if (!"active".equals(status)) throw revokedCannotRotate(connectorId);
            repo.retireCredentials(w, p.tenantId(), connectorId, now, previousUntil);
            repo.insertCredential(w, p.tenantId(), connectorId, credentialId, issued.stored(), now);
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
            if (!repo.updateDeclaration(w, p.tenantId(), connectorId, checked)) throw ApiException.notFound("Connector " + connectorId);
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
            if (!repo.revoke(w, p.tenantId(), connectorId, now)) return null;
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTOR_REVOKED, connectorId,
                    Json.object().put("system_name", before.systemName()).put("auth_method", before.authMethod().wire()));
            return null;
        });
        changes.changed();
        log.info("connector {} of tenant {} revoked", connectorId, p.tenantId());
        return get(p, connectorId);
    }

    public List<Connector> list(Principal p) {
        return db.read(c -> repo.list(c, p.tenantId(), clock.instant()));
    }

    /** The tenant's connector, or {@code 404 not_found} (also when it belongs to another tenant). */
    public Connector get(Principal p, String connectorId) {
        return db.read(c -> repo.find(c, p.tenantId(), connectorId, clock.instant()))
                .orElseThrow(() -> ApiException.notFound("Connector " + Text.sanitize(connectorId, 64)));
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
        Optional<ConnectorRepository.AuthRow> row = repo.authRow(c, tenantId, connectorId);
        if (row.isEmpty()) return Optional.empty();
        List<CredentialState> creds = new ArrayList<>();
        long keepAfter = clock.instant().minus(RETIRED_KEPT).toEpochMilli();
        for (ConnectorRepository.CredentialRow cr : repo.credentials(c, tenantId, connectorId, keepAfter)) {
            Secret hmacKey = null;
            if (cr.sealedSecret() != null) {
                try {
                    hmacKey = Secret.wrap(sealer.open(cr.sealedSecret(), new CredentialOwner(tenantId, connectorId, cr.credentialId()).associatedData()));
                } catch (SealedValueException e) {
                    log.error("credential {} of connector {} does not open ({}); it is ignored", cr.credentialId(), connectorId, e.getMessage());
                    continue;
                }
            }
            String pem = cr.publicKeyPem();
            creds.add(new CredentialState(cr.credentialId(), cr.secretSha256(), hmacKey,
                    pem == null ? null : Pem.rsaPublicKey(pem, "public_key_pem"),
                    cr.certSha256(), cr.certNotAfter(), cr.validUntil()));
        }
        ConnectorRepository.AuthRow a = row.get();
        return Optional.of(new ConnectorAuth(tenantId, connectorId, a.method(), a.active(), a.eventTypes(), creds));
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
