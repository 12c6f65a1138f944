package com.airotech.connect.connection;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.secret.SecretRef;
import com.airotech.connect.secret.SecretStore;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.store.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Material changes as stage → probe → commit: the new version is stored but not in force, probed,
 * and put in force only if the probe passes; otherwise it is discarded and the previous material
 * stays in force. One change per connection at a time.
 */
final class Staging {
    private static final Logger log = LoggerFactory.getLogger(Staging.class);

    /** Probes a connection with one version of its material. */
    interface Prober {
        ProbeResult probe(Connection c, Active a, String actor, boolean inForceMaterial);
    }

    private final Database db;
    private final ConnectionRepository repo;
    private final AuditLog audit;
    private final Clock clock;
    private final InForce inForce;
    private final Consumer<Connection> committed;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** @param committed told when a version of a connection was put in force (cached tokens of older ones are dropped) */
    Staging(Database db, ConnectionRepository repo, AuditLog audit, Clock clock, InForce inForce, Consumer<Connection> committed) {
        this.db = db;
        this.repo = repo;
        this.audit = audit;
        this.clock = clock;
        this.inForce = inForce;
        this.committed = committed;
    }

    /** Held around every change of a connection's material. */
    ReentrantLock lock(Connection c) { return locks.computeIfAbsent(InForce.key(c), k -> new ReentrantLock()); }

    /**
     * Stages {@code material} for the connection {@code reload} reads (under the lock), probes and
     * commits it. An oauth2 client secret keeps the tokens in force; with the authorization_code
     * grant it is committed without a probe (the tokens come through consent).
     */
    ProbeResult change(Supplier<Connection> reload, String actor, Material material, StagingListener steps, Prober prober) {
        ReentrantLock lock = lock(reload.get());
        lock.lock();
        try {
            Connection c = reload.get();
            if (material instanceof OAuth2Kind.Grant g) material = withTokensInForce(c, g);
            int version = stage(c, actor, "credential");
            SecretStore store = inForce.store(c);
            put(store, c, version, material);
            steps.staged(version);
            if (c.needsConsentToConnect()) {
                boolean consented = ((OAuth2Kind.Grant) material).accessToken() != null;
                ProbeResult r = consented ? new ProbeResult(c.status(), c.statusDetail()) : new ProbeResult(ConnectionStatus.PENDING, new Detail.NeedsConsent());
                commit(c, version, store, inForce.open(c, version, material), r, actor, "credential", false);
                steps.committed(version, r);
                return r;
            }
            ProbeResult r;
            Active staged;
            try {
                staged = inForce.open(c, version, material);
                steps.probing();
                r = prober.probe(c, staged, actor, false);
            } catch (RuntimeException e) {
                // whatever failed, the staged version must not linger: the previous material stays in force
                reject(c, version, store, ProbeResult.unhealthy("The probe could not run (" + e.getClass().getSimpleName() + ")."), actor);
                throw e;
            }
            steps.probed(r);
            if (!r.healthy()) {
                reject(c, version, store, r, actor);
                steps.rejected(version, r);
                throw new ProbeFailed(c.connectionId(), r, false);
            }
            commit(c, version, store, staged, r, actor, "credential", true);
            steps.committed(version, r);
            return r;
        } finally {
            lock.unlock();
        }
    }

    private OAuth2Kind.Grant withTokensInForce(Connection c, OAuth2Kind.Grant fresh) {
        if (c.currentVersion() == null) return new OAuth2Kind.Grant(fresh.clientSecret(), null, null, null);
        OAuth2Kind.Grant old = inForce.of(c).grant();
        return new OAuth2Kind.Grant(fresh.clientSecret(), old.accessToken(), old.refreshToken(), old.expiresAt());
    }

    int stage(Connection c, String actor, String via) {
        long now = clock.millis();
        return db.write(w -> {
            int v = repo.stageVersion(w, c.tenantId(), c.connectionId(), now);
            audit.append(w, c.tenantId(), actor, AuditAction.CONNECTION_CREDENTIAL_STAGED, c.connectionId(),
                    Json.object().put("version", v).put("kind", c.kind().wire()).put("via", via).put("secret_backend", c.secretBackend()));
            return v;
        });
    }

    /** Stores a staged version; a store that does not take it unstages it. */
    void put(SecretStore store, Connection c, int version, Material material) {
        try {
            store.put(new SecretRef(c.tenantId(), c.connectionId(), version), material.encode());
        } catch (SecretStoreException e) {
            long now = clock.millis();
            db.write(w -> {
                repo.unstage(w, c.tenantId(), c.connectionId(), version, now);
                return null;
            });
            log.warn("connection {}: the secret store did not take version {}: {}", c.connectionId(), version, e.getMessage());
            throw ApiException.unavailable(e.getMessage());
        }
    }

    void commit(Connection c, int version, SecretStore store, Active active, ProbeResult r, String actor, String via, boolean probed) {
        long now = clock.millis();
        Integer previous = db.write(w -> {
            Integer prev = repo.commitVersion(w, c.tenantId(), c.connectionId(), version, r.status(), r.detail(), probed ? now : null, now);
            ObjectNode d = Json.object().put("version", version).put("via", via).put("status", r.status().wire());
            if (prev != null) d.put("previous_version", prev); else d.putNull("previous_version");
            audit.append(w, c.tenantId(), actor, AuditAction.CONNECTION_CREDENTIAL_COMMITTED, c.connectionId(), d);
            return prev;
        });
        inForce.put(c, active);
        committed.accept(c);
        retire(store, c, version, previous);
    }

    /** Puts a version in force without audit or status change: tokens the platform refreshed itself. */
    void commitQuietly(Connection c, int version, SecretStore store, Active active) {
        long now = clock.millis();
        Integer previous = db.write(w -> repo.commitVersion(w, c.tenantId(), c.connectionId(), version, c.status(), c.statusDetail(), null, now));
        inForce.put(c, active);
        retire(store, c, version, previous);
    }

    private static void retire(SecretStore store, Connection c, int version, Integer previous) {
        try {
            store.commit(new SecretRef(c.tenantId(), c.connectionId(), version), previous);
        } catch (SecretStoreException e) {
            // the database says which version is in force; the store only tidies older ones
            log.warn("connection {}: version {} is in force, but the secret store could not retire older ones: {}", c.connectionId(), version, e.getMessage());
        }
    }

    void reject(Connection c, int version, SecretStore store, ProbeResult r, String actor) {
        long now = clock.millis();
        db.write(w -> {
            repo.unstage(w, c.tenantId(), c.connectionId(), version, now);
            audit.append(w, c.tenantId(), actor, AuditAction.CONNECTION_CREDENTIAL_REJECTED, c.connectionId(),
                    Json.object().put("version", version).put("detail", Wording.plain(r.detail())));
            return null;
        });
        try {
            store.discard(new SecretRef(c.tenantId(), c.connectionId(), version));
        } catch (SecretStoreException e) {
            log.warn("connection {}: could not discard rejected version {}: {}", c.connectionId(), version, e.getMessage());
        }
    }
}
