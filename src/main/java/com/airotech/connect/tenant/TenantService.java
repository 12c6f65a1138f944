package com.airotech.connect.tenant;

import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.store.ChangeWatcher;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.InvalidatingCache;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Tenants and their admin tokens (only the SHA-256 of a token is stored). */
public final class TenantService {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");
    private static final String TOKEN_PREFIX = "atk_";

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    /** token SHA-256 → principal, or empty for a token known not to exist. */
    private final InvalidatingCache<String, Optional<Principal>> tokens = new InvalidatingCache<>(10_000);

    public TenantService(Database db, AuditLog audit, Clock clock, ChangeWatcher changes) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
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
            PreparedStatement exists = w.prepare("SELECT 1 FROM tenants WHERE name = ?");
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) throw ApiException.conflict("tenant_exists", "A tenant named '" + name + "' already exists.");
            }
            PreparedStatement t = w.prepare("INSERT INTO tenants (tenant_id, name, created_at) VALUES (?,?,?)");
            t.setString(1, tenantId);
            t.setString(2, name);
            t.setLong(3, now.toEpochMilli());
            t.executeUpdate();
            PreparedStatement k = w.prepare("INSERT INTO admin_tokens (token_sha256, tenant_id, label, created_at) VALUES (?,?,?,?)");
            k.setString(1, tokenHash);
            k.setString(2, tenantId);
            k.setString(3, label);
            k.setLong(4, now.toEpochMilli());
            k.executeUpdate();
            audit.append(w, tenantId, createdBy, "tenant.created", tenantId,
                    Json.object().put("name", name).put("admin_token_label", label));
            return null;
        });
        return new CreatedTenant(new Tenant(tenantId, name, now), token, label);
    }

    public List<Tenant> list() {
        return db.read(c -> {
            List<Tenant> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, name, created_at FROM tenants ORDER BY created_at, tenant_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Tenant(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
            return out;
        });
    }

    public Optional<Tenant> find(String tenantId) {
        return list().stream().filter(t -> t.tenantId().equals(tenantId)).findFirst();
    }

    /** The tenant that a tenant id names, for the local operator (command line, console). */
    public Tenant require(String tenantId) {
        return find(tenantId).orElseThrow(() -> ApiException.notFound("Tenant " + Text.sanitize(tenantId, 64)));
    }

    /** The principal an admin token stands for; {@code 401 unauthorized} for any other token. */
    public Principal authenticate(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            throw ApiException.unauthorized("A valid admin token is required: Authorization: Bearer <admin_token>.");
        }
        String hash = Crypto.sha256Hex(token);
        Optional<Principal> p = tokens.get(hash, h -> db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, label FROM admin_tokens WHERE token_sha256 = ? AND revoked_at IS NULL")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Principal(rs.getString(1), rs.getString(2))) : Optional.<Principal>empty();
                }
            }
        }));
        return p.orElseThrow(() -> ApiException.unauthorized("The admin token is not valid."));
    }
}
