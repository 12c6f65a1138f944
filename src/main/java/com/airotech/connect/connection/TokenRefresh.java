package com.airotech.connect.connection;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.secret.SecretStore;
import com.airotech.connect.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access token for an oauth2 call: the one in force while it is fresh; refreshed (one refresh
 * per connection at a time, the new tokens stored as a new version) when it expires within a
 * minute; for the client-credentials grant, fetched and kept in memory. A refresh the vendor
 * refuses marks the connection reauth_required.
 */
final class TokenRefresh {
    private static final Logger log = LoggerFactory.getLogger(TokenRefresh.class);
    /** An access token is refreshed before a call when it expires within this window. */
    static final long REFRESH_WINDOW_SECONDS = 60;

    private final Database db;
    private final ConnectionRepository repo;
    private final AuditLog audit;
    private final Clock clock;
    private final InForce inForce;
    private final Staging staging;
    private final Function<String, AddressPolicy> policy;
    private final ConcurrentHashMap<String, OAuth2Kind.Grant> clientCredentialTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    TokenRefresh(Database db, ConnectionRepository repo, AuditLog audit, Clock clock, InForce inForce, Staging staging, Function<String, AddressPolicy> policy) {
        this.db = db;
        this.repo = repo;
        this.audit = audit;
        this.clock = clock;
        this.inForce = inForce;
        this.staging = staging;
        this.policy = policy;
    }

    /** Tokens of the client-credentials grant belong to one version of the client secret: dropped when another is in force. */
    void forget(Connection c) { clientCredentialTokens.keySet().removeIf(k -> k.startsWith(InForce.key(c) + "#")); }

    /** Fails at once, without any network call, when the connection needs consent again. */
    static void failFastIfReauth(Connection c) {
        if (c.status() == ConnectionStatus.REAUTH_REQUIRED) throw ConnectionFailure.needsConsentAgain(c);
    }

    /**
     * @param inForceMaterial false while tokens just obtained (consent, or a staged client secret) are
     *                        probed: those are never refreshed or cached before they are committed
     */
    Secret accessToken(Connection c, Active a, String actor, boolean inForceMaterial) {
        OAuth2Kind.Grant t = a.grant();
        Instant now = clock.instant();
        if (OAuth2Kind.config(c).clientCredentials()) return clientCredentialsToken(c, a, t, now, inForceMaterial);
        if (t.freshAt(now, REFRESH_WINDOW_SECONDS)) return t.accessToken();
        if (!inForceMaterial) {
            if (t.validAt(now)) return t.accessToken();
            throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The vendor issued an access token that has already expired; check the server clocks.");
        }
        ReentrantLock lock = locks.computeIfAbsent(InForce.key(c), k -> new ReentrantLock());
        lock.lock();
        try {
            // another call may have refreshed (or failed) while this one waited for the lock
            Connection row = repo.find(c.tenantId(), c.connectionId()).orElseThrow(() -> ApiException.notFound("Connection " + c.connectionId()));
            failFastIfReauth(row);
            Active latest = inForce.of(row);
            OAuth2Kind.Grant lt = latest.grant();
            if (lt.freshAt(now, REFRESH_WINDOW_SECONDS)) return lt.accessToken();
            return refresh(row, latest, lt, actor, now);
        } finally {
            lock.unlock();
        }
    }

    private Secret refresh(Connection c, Active a, OAuth2Kind.Grant t, String actor, Instant now) {
        if (t.refreshToken() == null) {
            if (t.validAt(now)) return t.accessToken();
            markReauthRequired(c, actor, "the access token expired and the vendor issued no refresh token");
            failFastIfReauth(repo.find(c.tenantId(), c.connectionId()).orElseThrow());
        }
        OAuth2Client.Tokens fresh;
        try {
            fresh = OAuth2Client.refresh(c, policy.apply(c.tenantId()), a.client, t.clientSecret(), t.refreshToken(), now);
        } catch (OAuth2Client.Refused e) {
            // another process may have refreshed first (vendors rotate refresh tokens on use): re-read before giving up
            Connection row = repo.find(c.tenantId(), c.connectionId()).orElseThrow();
            if (row.currentVersion() != null && row.currentVersion() != a.version) {
                OAuth2Kind.Grant other = inForce.of(row).grant();
                if (other.validAt(now)) return other.accessToken();
            }
            markReauthRequired(c, actor, "the vendor refused the refresh (" + e.error + ", HTTP " + e.status + ")");
            failFastIfReauth(repo.find(c.tenantId(), c.connectionId()).orElseThrow());
            throw new IllegalStateException("unreachable");
        } catch (ConnectionFailure f) {
            // the vendor is unreachable: a token that has not yet expired still serves
            if (t.validAt(now)) {
                log.warn("connection {}: refresh failed ({}); using the current access token until it expires", c.connectionId(), f.code());
                return t.accessToken();
            }
            throw f;
        }
        OAuth2Kind.Grant material = t.withTokens(fresh.accessToken(), fresh.refreshToken() != null ? fresh.refreshToken() : t.refreshToken(), fresh.expiresAt());
        long nowMs = clock.millis();
        int version = db.write(w -> repo.stageVersion(w, c.tenantId(), c.connectionId(), nowMs));
        SecretStore store = inForce.store(c);
        staging.put(store, c, version, material);
        staging.commitQuietly(c, version, store, inForce.open(c, version, material));
        log.info("connection {}: access token refreshed", c.connectionId());
        return fresh.accessToken();
    }

    private Secret clientCredentialsToken(Connection c, Active a, OAuth2Kind.Grant t, Instant now, boolean inForceMaterial) {
        String k = InForce.key(c) + "#" + a.version;
        OAuth2Kind.Grant cached = clientCredentialTokens.get(k);
        if (cached != null && cached.freshAt(now, REFRESH_WINDOW_SECONDS)) return cached.accessToken();
        ReentrantLock lock = locks.computeIfAbsent(InForce.key(c), x -> new ReentrantLock());
        lock.lock();
        try {
            cached = clientCredentialTokens.get(k);
            if (cached != null && cached.freshAt(now, REFRESH_WINDOW_SECONDS)) return cached.accessToken();
            OAuth2Client.Tokens tokens;
            try {
                tokens = OAuth2Client.clientCredentials(c, policy.apply(c.tenantId()), a.client, t.clientSecret(), now);
            } catch (OAuth2Client.Refused e) {
                throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The token endpoint refused the client credentials (" + e.error
                        + "). Check config.client_id and stage the right client secret.");
            }
            OAuth2Kind.Grant got = t.withTokens(tokens.accessToken(), null, tokens.expiresAt());
            // tokens of this grant are kept in memory only: a new one is one request away
            if (inForceMaterial) clientCredentialTokens.put(k, got);
            return got.accessToken();
        } finally {
            lock.unlock();
        }
    }

    private void markReauthRequired(Connection c, String actor, String reason) {
        Detail detail = new Detail.NeedsConsentAgain(reason);
        long now = clock.millis();
        boolean changed = db.write(w -> {
            Connection latest = repo.find(w, c.tenantId(), c.connectionId()).orElse(null);
            if (latest == null || latest.status() == ConnectionStatus.REAUTH_REQUIRED) return false;
            repo.setStatus(w, c.tenantId(), c.connectionId(), ConnectionStatus.REAUTH_REQUIRED, detail, null, now);
            audit.append(w, c.tenantId(), actor, AuditAction.CONNECTION_REAUTH_REQUIRED, c.connectionId(), Json.object().put("reason", reason));
            return true;
        });
        if (changed) log.warn("connection {} of tenant {} needs consent again: {}", c.connectionId(), c.tenantId(), reason);
    }
}
