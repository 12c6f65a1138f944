package com.airotech.connect.connection;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.secret.LocalSecretStore;
import com.airotech.connect.secret.SecretStore;
import com.airotech.connect.store.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 consent (authorization_code with PKCE): the vendor's consent URL with a state bound to
 * the connection, the callback that exchanges the code and probes the new tokens before they are
 * committed, and waiting for a consent to settle (the console's dialog).
 */
final class OAuth2Consent {
    private static final Logger log = LoggerFactory.getLogger(OAuth2Consent.class);
    static final Duration TTL = Duration.ofMinutes(10);

    private final Database db;
    private final ConnectionRepository repo;
    private final AuditLog audit;
    private final LocalSecretStore local;
    private final Clock clock;
    private final Supplier<String> callbackBase;
    private final InForce inForce;
    private final Staging staging;
    private final Staging.Prober prober;
    private final Function<String, AddressPolicy> policy;
    private final Object signal = new Object();
    private long settled; // guarded by signal

    OAuth2Consent(Database db, ConnectionRepository repo, AuditLog audit, LocalSecretStore local, Clock clock, Supplier<String> callbackBase,
                  InForce inForce, Staging staging, Staging.Prober prober, Function<String, AddressPolicy> policy) {
        this.db = db;
        this.repo = repo;
        this.audit = audit;
        this.local = local;
        this.clock = clock;
        this.callbackBase = callbackBase;
        this.inForce = inForce;
        this.staging = staging;
        this.prober = prober;
        this.policy = policy;
    }

    String authorizeUrl(Connection c, String actor) {
        if (!c.needsConsentToConnect()) throw ApiException.invalidRequest("Consent applies only to oauth2 connections with the authorization_code grant.");
        OAuth2Kind.Config config = OAuth2Kind.config(c);
        String state = b64url(Crypto.randomBytes(32));
        String verifier = b64url(Crypto.randomBytes(32));
        String challenge = b64url(Crypto.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        String stateHash = Crypto.sha256Hex(state);
        String redirect = config.redirectUri() != null ? config.redirectUri() : callbackBase.get() + "/oauth2/callback";
        byte[] sealed = local.sealFor(c.tenantId(), verifier.getBytes(StandardCharsets.US_ASCII), verifierAd(c.tenantId(), c.connectionId(), stateHash));
        long now = clock.millis();
        db.write(w -> {
            repo.insertState(w, stateHash, c.tenantId(), c.connectionId(), sealed, redirect, actor, now, now + TTL.toMillis());
            return null;
        });
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", config.clientId());
        q.put("redirect_uri", redirect);
        String scopes = config.scopeList();
        if (!scopes.isEmpty()) q.put("scope", scopes);
        q.put("state", state);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        String base = config.authorizeUrl();
        return base + (base.contains("?") ? "&" : "?") + OAuth2Client.encode(q);
    }

    private static String verifierAd(String tenantId, String connectionId, String stateHash) {
        return "oauth2-pkce-verifier\n" + tenantId + "\n" + connectionId + "\n" + stateHash;
    }

    ConnectionService.Consent complete(String code, String state, String vendorError) {
        try {
            return exchange(code, state, vendorError);
        } finally {
            synchronized (signal) {
                settled++;
                signal.notifyAll();
            }
        }
    }

    /** See {@link ConnectionService#awaitConsent}; {@code read} reads the connection as its caller may. */
    ConnectionService.ConsentOutcome await(String tenantId, String connectionId, Supplier<Connection> read, Instant since, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AuditQuery refused = new AuditQuery(since, null, "connection.consent_failed", null, connectionId, null, 1, null);
        while (true) {
            long seen;
            synchronized (signal) { seen = settled; }
            Connection c = read.get();
            if (given(c, since)) return new ConnectionService.ConsentOutcome(c, null);
            AuditPage failed = audit.page(tenantId, refused);
            if (!failed.entries().isEmpty()) return new ConnectionService.ConsentOutcome(c, failed.entries().get(0).detail().path("reason").asText());
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return null;
            synchronized (signal) {
                // woken by a settled consent; after a second look again anyway (another process may have answered)
                if (settled == seen) signal.wait(Math.min(left, 1000));
            }
        }
    }

    /** True once the consent came back with tokens: the connection turned healthy, or a probe after it failed. */
    static boolean given(Connection c, Instant since) {
        if (c.status() == ConnectionStatus.HEALTHY) return c.updatedAt() == null || !c.updatedAt().isBefore(since);
        return c.status() == ConnectionStatus.UNHEALTHY && c.lastProbeAt() != null && !c.lastProbeAt().isBefore(since);
    }

    private ConnectionService.Consent exchange(String code, String state, String vendorError) {
        if (state == null || state.isEmpty() || state.length() > 200) throw ApiException.invalidRequest("The callback carries no valid 'state'; start consent again.");
        String stateHash = Crypto.sha256Hex(state);
        ConnectionRepository.PendingConsent pc = db.write(w -> repo.takeState(w, stateHash))
                .orElseThrow(() -> ApiException.invalidRequest("Unknown or already used 'state': nothing was exchanged. Start consent again from GET /api/connections/{id}/authorize."));
        if (pc.expiresAt() < clock.millis()) throw failed(pc, ApiException.invalidRequest("This consent took longer than ten minutes and expired; start it again."));
        if (vendorError != null) {
            throw failed(pc, ApiException.invalidRequest("The vendor reported '" + Text.sanitize(vendorError, 64) + "' instead of a code; nothing was exchanged. Start consent again."));
        }
        if (code == null || code.isEmpty() || code.length() > 4096) throw failed(pc, ApiException.invalidRequest("The callback carries no 'code'; start consent again."));
        Connection c = repo.find(pc.tenantId(), pc.connectionId()).orElseThrow(() -> ApiException.notFound("Connection"));
        Secret verifier = Secret.wrap(local.openFor(c.tenantId(), pc.sealedVerifier(), verifierAd(c.tenantId(), c.connectionId(), stateHash)));
        ReentrantLock lock = staging.lock(c);
        lock.lock();
        try {
            c = repo.find(pc.tenantId(), pc.connectionId()).orElseThrow(() -> ApiException.notFound("Connection"));
            Secret clientSecret = c.currentVersion() == null ? null : inForce.of(c).grant().clientSecret();
            OAuth2Client.Tokens tokens;
            try {
                tokens = OAuth2Client.exchangeCode(c, policy.apply(c.tenantId()), inForce.none(c).client, clientSecret, code, verifier, pc.redirectUri(), clock.instant());
            } catch (OAuth2Client.Refused e) {
                throw failed(pc, new ApiException(ApiException.Kind.UNPROCESSABLE, "token_exchange_failed", "The vendor refused the authorization code (" + e.error
                        + "). Check the client id and secret, then start consent again."));
            } catch (ConnectionFailure f) {
                throw failed(pc, new ApiException(ApiException.Kind.UNPROCESSABLE, "token_exchange_failed", f.getMessage()));
            }
            Material material = new OAuth2Kind.Grant(clientSecret, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt());
            int version = staging.stage(c, pc.actor(), "consent");
            SecretStore store = inForce.store(c);
            staging.put(store, c, version, material);
            Active staged = inForce.open(c, version, material);
            ProbeResult r = prober.probe(c, staged, pc.actor(), false);
            if (!r.healthy()) {
                staging.reject(c, version, store, r, pc.actor());
                long now = clock.millis();
                Connection cc = c;
                db.write(w -> {
                    repo.setStatus(w, cc.tenantId(), cc.connectionId(), ConnectionStatus.UNHEALTHY, r.detail(), now, now);
                    return null;
                });
                throw new ProbeFailed(c.connectionId(), r, true);
            }
            staging.commit(c, version, store, staged, r, pc.actor(), "consent", true);
            log.info("connection {}: consent completed", c.connectionId());
            return new ConnectionService.Consent(c.tenantId(), c.connectionId(), r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A consent that came back without tokens: audited ({@code connection.consent_failed}, which the
     * console's consent dialog waits for as well), and the reason shown on a connection that has
     * no usable tokens. A connection that has some keeps its status and detail: its tokens still work.
     */
    private ApiException failed(ConnectionRepository.PendingConsent pc, ApiException e) {
        long now = clock.millis();
        db.write(w -> {
            Optional<Connection> found = repo.find(w, pc.tenantId(), pc.connectionId());
            audit.append(w, pc.tenantId(), pc.actor(), AuditAction.CONNECTION_CONSENT_FAILED, pc.connectionId(),
                    Json.object().put("error", e.code()).put("reason", e.getMessage()));
            if (found.isPresent() && (found.get().status() == ConnectionStatus.PENDING || found.get().status() == ConnectionStatus.REAUTH_REQUIRED)) {
                repo.setStatus(w, pc.tenantId(), pc.connectionId(), found.get().status(), new Detail.Text("Consent failed: " + e.getMessage()), null, now);
            }
            return null;
        });
        return e;
    }

    private static String b64url(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }
}
