package com.airotech.connect.tenant;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.ReportThrottle;
import com.airotech.connect.common.Times;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.store.ChangeWatcher;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.InvalidatingCache;
import com.airotech.connect.tenant.TenantRepository.TokenState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tenants and their admin tokens (only the SHA-256 of a token is stored). */
public final class TenantService {
    private static final Logger log = LoggerFactory.getLogger(TenantService.class);
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");
    private static final String TOKEN_PREFIX = "atk_";

    private final Database db;
    private final TenantRepository repo = new TenantRepository();
    private final AuditLog audit;
    private final Clock clock;
    /** token SHA-256 → principal, or empty for a token known not to exist. */
    private final InvalidatingCache<String, Optional<TokenState>> tokens = new InvalidatingCache<>(10_000);
    private final ChangeWatcher changes;
    /** Where this service's tokens live, for the operator's log when a token is refused (never in an answer: API.md §2). */
    private final java.nio.file.Path dataDir;
    private final ReportThrottle unknownTokens = new ReportThrottle(java.time.Duration.ofMinutes(1));
    private final java.util.concurrent.ConcurrentHashMap<String, ReportThrottle> disabledRefusals = new java.util.concurrent.ConcurrentHashMap<>();

    public TenantService(Database db, AuditLog audit, Clock clock, ChangeWatcher changes) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.changes = changes;
        this.dataDir = db.file().toAbsolutePath().getParent();
        // rotations, revocations and disabled tenants reach this cache from any process sharing the directory
        changes.onChange(tokens::invalidateAll);
    }

    public CreatedTenant create(String name, String actorLabel, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidRequest("A tenant name is 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        }
        String label = actorLabel == null || actorLabel.isBlank() ? "admin@" + name : actorLabel.strip();
        if (label.length() > 128 || !Text.isPrintable(label)) {
            throw ApiException.invalidRequest("The actor label must be 1-128 printable characters.");
        }
        String tenantId = Crypto.newId("tn");
        Secret token = Secret.ofUtf8(Crypto.newToken(TOKEN_PREFIX));
        String tokenHash = Crypto.sha256Hex(token.bytes());
        Instant now = clock.instant();
        db.write(w -> {
            if (repo.nameExists(w, name)) throw ApiException.conflict("tenant_exists", "A tenant named '" + name + "' already exists.");
            repo.insertTenant(w, tenantId, name, now);
            repo.insertAdminToken(w, tokenHash, tenantId, label, now);
            audit.append(w, tenantId, createdBy, AuditAction.TENANT_CREATED, tenantId,
                    Json.object().put("name", name).put("admin_token_label", label));
            return null;
        });
        return new CreatedTenant(new Tenant(tenantId, name, now), token, label);
    }

    public List<Tenant> list() {
        return db.read(repo::list);
    }

    public Optional<Tenant> find(String tenantId) {
        return list().stream().filter(t -> t.tenantId().equals(tenantId)).findFirst();
    }

    /** The tenant that a tenant id names, for the local operator (command line, console). */
    public Tenant require(String tenantId) {
        return find(tenantId).orElseThrow(() -> ApiException.notFound("Tenant " + Text.sanitize(tenantId, 64)));
    }

    /** The principal an admin token stands for; {@code 401} for any other token, an ended one or a disabled tenant's. */
    public Principal authenticate(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            throw ApiException.unauthorized("A valid admin token is required: Authorization: Bearer <admin_token>.");
        }
        String hash = Crypto.sha256Hex(token);
        Optional<TokenState> found = tokens.get(hash, h -> db.read(c -> repo.token(c, h)));
        if (found.isEmpty()) {
            long n = unknownTokens.occurred(1);
            if (n > 0) {
                // the data-dir trap: a token minted by a command line pointed at another directory is unknown here
                log.warn("An admin token was refused ({} since the last report): it is not a token of the data directory {}. A token printed by"
                        + " 'tenant create' run with another --data-dir (or without one, beside a gateway started with one) is unknown here:"
                        + " run the command line with this gateway's --data-dir.", n, dataDir);
            }
            throw ApiException.unauthorized("The admin token is not valid for this gateway. The operator log names the data directory it was checked against.");
        }
        TokenState st = found.get();
        if (st.tenantDisabled()) {
            refusedWhileDisabled(st.principal().tenantId());
            throw ApiException.unauthorized("The tenant is disabled; its admin tokens and connectors are refused until the operator enables it.");
        }
        if (st.validUntil() != null && !clock.instant().isBefore(st.validUntil())) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "credential_expired", "This admin token was replaced by a rotation and its grace has ended: use the new one.");
        }
        return st.principal();
    }

    /** A disabled tenant's refused admin tokens, into its audit trail at most once a minute with a count. */
    private void refusedWhileDisabled(String tenantId) {
        ReportThrottle t = disabledRefusals.computeIfAbsent(tenantId, k -> new ReportThrottle(java.time.Duration.ofMinutes(1)));
        long n = t.occurred(1);
        if (n <= 0) return;
        try {
            audit.append(tenantId, "gateway", AuditAction.ADMIN_TOKEN_REFUSED, tenantId, Json.object().put("reason", "tenant_disabled").put("count", n));
        } catch (RuntimeException e) {
            log.warn("could not audit refused admin tokens of disabled tenant {}: {}", tenantId, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the operator's and the tenant's levers

    /** The longest grace a rotated admin token may keep (a day, as for connectors). */
    public static final int MAX_GRACE_SECONDS = 86_400;

    /**
     * A new admin token for the tenant, with the same audit label. The current token stays valid for
     * {@code graceSeconds} (null: 60); a token still in the grace of an earlier rotation ends at once.
     */
    public AdminTokenRotation rotateAdminToken(String tenantId, Integer graceSeconds, String actor) {
        int grace = graceSeconds == null ? 60 : graceSeconds;
        if (grace < 0 || grace > MAX_GRACE_SECONDS) throw ApiException.invalidRequest("Field 'grace_seconds' must be between 0 and " + MAX_GRACE_SECONDS + ".");
        Secret token = Secret.ofUtf8(Crypto.newToken(TOKEN_PREFIX));
        String tokenHash = Crypto.sha256Hex(token.bytes());
        Instant now = clock.instant();
        Instant until = now.plusSeconds(grace);
        String label = db.write(w -> {
            String current = requireTenantForUpdate(w, tenantId);
            repo.endTokensInGrace(w, tenantId, now);
            String l = repo.newestTokenLabel(w, tenantId).orElse("admin@" + current);
            repo.graceCurrentToken(w, tenantId, until);
            repo.insertAdminToken(w, tokenHash, tenantId, l, now);
            audit.append(w, tenantId, actor, AuditAction.ADMIN_TOKEN_ROTATED, tenantId, Json.object().put("admin_token_label", l)
                    .put("grace_seconds", grace).put("previous_valid_until", Times.format(until)));
            return l;
        });
        changes.changed();
        log.info("admin token of tenant {} rotated by {}; the previous one is valid until {}", tenantId, actor, Times.format(until));
        return new AdminTokenRotation(tenantId, token, label, until);
    }

    /** Ends every admin token of the tenant at once (a leaked token); {@link #rotateAdminToken} then issues a new one. Returns how many ended. */
    public int revokeAdminTokens(String tenantId, String actor) {
        Instant now = clock.instant();
        int n = db.write(w -> {
            requireTenantForUpdate(w, tenantId);
            int ended = repo.revokeTokens(w, tenantId, now);
            audit.append(w, tenantId, actor, AuditAction.ADMIN_TOKEN_REVOKED, tenantId, Json.object().put("tokens_ended", ended));
            return ended;
        });
        changes.changed();
        log.info("{} admin token(s) of tenant {} revoked by {}", n, tenantId, actor);
        return n;
    }

    /** Disables (or enables) a tenant: while disabled its admin tokens and connectors are refused. Audited; idempotent. */
    public Tenant setDisabled(String tenantId, boolean disabled, String actor) {
        Instant now = clock.instant();
        boolean changed = db.write(w -> {
            requireTenantForUpdate(w, tenantId);
            if (!repo.setDisabled(w, tenantId, disabled, now)) return false;
            audit.append(w, tenantId, actor, disabled ? AuditAction.TENANT_DISABLED : AuditAction.TENANT_ENABLED, tenantId, Json.object());
            return true;
        });
        if (changed) {
            changes.changed();
            log.info("tenant {} {} by {}", tenantId, disabled ? "disabled" : "enabled", actor);
        }
        return require(tenantId);
    }

    private String requireTenantForUpdate(com.airotech.connect.store.WriteContext w, String tenantId) throws java.sql.SQLException {
        return repo.name(w, tenantId).orElseThrow(() -> ApiException.notFound("Tenant " + Text.sanitize(tenantId, 64)));
    }
}
