package com.airotech.connect.connection;

import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.common.Times;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.secret.SecretRef;
import com.airotech.connect.secret.SecretStore;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.secret.SecretStores;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Outbound connections (API.md §6): creating them, entering material through staged rotation
 * (stage → probe → commit, the previous material in force on any failure), probing, OAuth2 consent
 * and refresh, aws_iam role assumption, and the calls themselves, which inject the material in
 * force when they start. Material comes only from the tenant's secret store and leaves the platform
 * only inside an outgoing request. Knows nothing of HTTP serving: the gateway and the command line
 * call the same methods.
 */
public final class ConnectionService {
    private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);
    /** An access token is refreshed before a call when it expires within this window. */
    static final long REFRESH_WINDOW_SECONDS = 60;
    static final Duration CONSENT_TTL = Duration.ofMinutes(10);
    private static final char[] EXTERNAL_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new connection, with what the creator must see once (for aws_iam: the external id and trust policy). */
    public record Created(Connection connection, ObjectNode trustPolicy) {}

    /** What a completed consent did. */
    public record Consent(String tenantId, String connectionId, ProbeResult result) {}

    private final Database db;
    private final AuditLog audit;
    private final SecretStores stores;
    private final AwsEnvironment aws;
    private final Clock clock;
    private final Supplier<String> callbackBase;
    private final ConnectionRepository repo;
    private final AwsRoles roles;
    private final OutboundGuard guard;
    private final ConcurrentHashMap<String, Active> inForce = new ConcurrentHashMap<>();
    /**
     * The tenants' outbound settings, read on every call and delivery attempt: cleared on every change,
     * in this process at once, from another process (the command line) through the change counter.
     */
    private final com.airotech.connect.store.InvalidatingCache<String, OutboundSettings> settingsCache = new com.airotech.connect.store.InvalidatingCache<>(10_000);
    private final ConcurrentHashMap<String, Credentials.OAuth2> clientCredentialTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> refreshLocks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> stageLocks = new ConcurrentHashMap<>();

    public ConnectionService(Database db, AuditLog audit, SecretStores stores, AwsEnvironment aws, Clock clock, Supplier<String> callbackBase,
                             OutboundGuard guard) {
        this.guard = guard;
        this.db = db;
        this.audit = audit;
        this.stores = stores;
        this.aws = aws;
        this.clock = clock;
        this.callbackBase = callbackBase;
        this.repo = new ConnectionRepository(db);
        this.roles = new AwsRoles(aws, clock);
    }

    // ------------------------------------------------------------------ tenant settings

    public OutboundSettings settings(String tenantId) { return settingsCache.get(tenantId, repo::settings); }

    /** Tenants' outbound settings changed somewhere (the change counter moved): read them again. */
    public void settingsChanged() { settingsCache.invalidateAll(); }

    /** The operator allows (or, with {@code allow} false, removes) a network or host for a tenant's connections. */
    public OutboundSettings changePolicy(Principal p, List<String> allow, List<String> remove, boolean reset) {
        OutboundSettings s = repo.settings(p.tenantId());
        AddressPolicy policy = reset ? AddressPolicy.defaults() : s.policy();
        for (String r : remove == null ? List.<String>of() : remove) policy = policy.without(r);
        for (String r : allow == null ? List.<String>of() : allow) policy = policy.with(r);
        OutboundSettings next = s.withPolicy(policy);
        long now = clock.millis();
        db.write(w -> {
            repo.saveSettings(w, next, now);
            ArrayNode rules = Json.MAPPER.createArrayNode();
            next.policy().rules().forEach(rules::add);
            ObjectNode d = Json.object();
            d.set("allowed_targets", rules);
            audit.append(w, p.tenantId(), p.actor(), "connection.policy_changed", p.tenantId(), d);
            return null;
        });
        settingsChanged();
        return next;
    }

    /** Where the tenant's new connections keep their material: {@code local} or {@code aws} (with a region, else the platform's). */
    public OutboundSettings chooseSecretStore(Principal p, String backend, String region) {
        if (!"local".equals(backend) && !"aws".equals(backend)) throw ApiException.invalidRequest("The secret store is 'local' or 'aws'.");
        if (region != null && !region.matches("^[a-z]{2}(-[a-z0-9]+){1,3}-\\d$")) throw ApiException.invalidRequest("The region must be an AWS region such as eu-central-1.");
        OutboundSettings next = repo.settings(p.tenantId()).withBackend(backend, "aws".equals(backend) ? region : null);
        long now = clock.millis();
        db.write(w -> {
            repo.saveSettings(w, next, now);
            ObjectNode d = Json.object().put("secret_backend", backend);
            if (next.awsRegion() != null) d.put("aws_region", next.awsRegion());
            audit.append(w, p.tenantId(), p.actor(), "connection.secret_store_changed", p.tenantId(), d);
            return null;
        });
        settingsChanged();
        return next;
    }

    // ------------------------------------------------------------------ administration

    public Created create(Principal p, NewConnection n) {
        OutboundSettings s = repo.settings(p.tenantId());
        String backend;
        try {
            backend = stores.backendFor(s.secretBackend(), s.awsRegion());
        } catch (SecretStoreException e) {
            throw ApiException.invalidRequest(e.getMessage());
        }
        String id = Crypto.newId("cx");
        ObjectNode config = n.config().deepCopy();
        String externalId = null;
        ObjectNode trust = null;
        if (n.kind() == ConnectionKind.AWS_IAM) {
            externalId = newExternalId();
            String principal = platformPrincipal();
            config.put("platform_principal", principal);
            trust = trustPolicy(principal, externalId);
        }
        Instant now = clock.instant();
        Connection c = new Connection(p.tenantId(), id, n.name(), n.kind(), n.baseUrl(), config, n.probePath(), externalId, backend,
                null, null, ConnectionStatus.PENDING, pendingDetail(n.kind(), id), null, now, now);
        db.write(w -> {
            if (repo.nameTaken(w, p.tenantId(), n.name())) {
                throw ApiException.conflict("connection_exists", "A connection named '" + n.name() + "' already exists for this tenant; choose another name.");
            }
            repo.insert(w, c);
            ObjectNode d = Json.object().put("name", n.name()).put("kind", n.kind().wire()).put("secret_backend", backend);
            if (n.baseUrl() != null) d.put("base_url", n.baseUrl());
            if (c.externalId() != null) d.put("external_id", c.externalId());
            audit.append(w, p.tenantId(), p.actor(), "connection.created", id, d);
            return null;
        });
        log.info("connection {} ({}) created for tenant {}", id, n.kind().wire(), p.tenantId());
        return new Created(c, trust);
    }

    private static String pendingDetail(ConnectionKind kind, String id) {
        return switch (kind) {
            case NONE -> "Not probed yet: POST /api/connections/" + id + "/probe.";
            case OAUTH2 -> "No consent yet: register the client secret (POST /api/connections/" + id + "/credential), then open GET /api/connections/" + id + "/authorize.";
            case AWS_IAM -> "No role yet: create the role with the trust policy shown, then POST its role_arn to /api/connections/" + id + "/credential.";
            default -> "No credential yet: POST it to /api/connections/" + id + "/credential.";
        };
    }

    public List<Connection> list(Principal p) { return repo.list(p.tenantId()); }

    public Connection get(Principal p, String connectionId) {
        if (connectionId == null || connectionId.length() > 64) throw ApiException.notFound("Connection");
        return repo.find(p.tenantId(), connectionId).orElseThrow(() -> ApiException.notFound("Connection " + Text.sanitize(connectionId, 64)));
    }

    public void delete(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        store(c).deleteAll(c.tenantId(), c.connectionId());
        db.write(w -> {
            repo.delete(w, c.tenantId(), c.connectionId());
            audit.append(w, c.tenantId(), p.actor(), "connection.deleted", c.connectionId(), Json.object().put("name", c.name()).put("kind", c.kind().wire()));
            return null;
        });
        forget(c);
    }

    /** The JSON view of a connection: status, kind, config, timestamps; never material. */
    public static ObjectNode toJson(Connection c) {
        ObjectNode o = Json.object();
        o.put("connection_id", c.connectionId());
        o.put("tenant_id", c.tenantId());
        o.put("name", c.name());
        o.put("kind", c.kind().wire());
        if (c.baseUrl() != null) o.put("base_url", c.baseUrl()); else o.putNull("base_url");
        o.set("config", c.config());
        if (c.probePath() != null) o.put("probe_path", c.probePath()); else o.putNull("probe_path");
        o.put("status", c.status().wire());
        if (c.statusDetail() != null) o.put("detail", c.statusDetail()); else o.putNull("detail");
        o.put("secret_backend", c.secretBackend().startsWith("aws:") ? "aws" : c.secretBackend());
        if (c.secretBackend().startsWith("aws:")) {
            o.put("aws_region", c.secretBackend().substring(4));
            o.put("secret_name", com.airotech.connect.secret.AwsSecretsManagerStore.secretName(c.tenantId(), c.connectionId()));
        }
        o.put("has_credential", c.currentVersion() != null);
        if (c.currentVersion() != null) o.put("credential_version", c.currentVersion());
        if (c.externalId() != null) {
            o.put("external_id", c.externalId());
            String principal = c.text("platform_principal");
            if (principal != null) o.set("trust_policy", trustPolicy(principal, c.externalId()));
        }
        if (c.lastProbeAt() != null) o.put("last_probe_at", Times.format(c.lastProbeAt())); else o.putNull("last_probe_at");
        o.put("created_at", Times.format(c.createdAt()));
        o.put("updated_at", Times.format(c.updatedAt()));
        return o;
    }

    // ------------------------------------------------------------------ material: stage → probe → commit

    /**
     * Stages new material, probes with it, and commits only if the probe passes; otherwise the
     * previous material stays in force and the answer is {@code 422 probe_failed}. For oauth2 the
     * client secret is kept without a probe (tokens arrive through consent, or, for the
     * client-credentials grant, the probe fetches one).
     */
    public ProbeResult putCredential(Principal p, String connectionId, ObjectNode body) {
        return putCredential(p, connectionId, body, StagingListener.NONE);
    }

    /** {@link #putCredential(Principal, String, ObjectNode)}, telling {@code steps} about each step as it happens. */
    public ProbeResult putCredential(Principal p, String connectionId, ObjectNode body, StagingListener steps) {
        Connection c = get(p, connectionId);
        if (body == null) throw ApiException.invalidRequest("Send the credential as a JSON object.");
        Secret material = Material.fromRequest(c.kind(), body);
        ReentrantLock lock = stageLocks.computeIfAbsent(key(c), k -> new ReentrantLock());
        lock.lock();
        try {
            c = get(p, connectionId);
            boolean authCode = c.kind() == ConnectionKind.OAUTH2 && "authorization_code".equals(c.text("grant_type"));
            if (c.kind() == ConnectionKind.OAUTH2) material = withExistingTokens(c, material);
            int version = stage(c, p.actor(), "credential");
            SecretStore store = store(c);
            put(store, c, version, material);
            steps.staged(version);
            if (authCode) {
                boolean consented = hasAccessToken(material);
                ConnectionStatus status = consented ? c.status() : ConnectionStatus.PENDING;
                String detail = consented ? c.statusDetail() : "Client secret registered; give consent: GET /api/connections/" + c.connectionId() + "/authorize.";
                commit(c, version, store, Active.open(c, version, material, dns(c)), new ProbeResult(status, detail), p.actor(), "credential", false);
                steps.committed(version, new ProbeResult(status, detail));
                return new ProbeResult(status, detail);
            }
            ProbeResult r;
            Active staged;
            try {
                staged = Active.open(c, version, material, dns(c));
                steps.probing();
                r = probeWith(c, staged, p.actor(), false);
            } catch (RuntimeException e) {
                // whatever failed, the staged version must not linger: the previous material stays in force
                reject(c, version, store, ProbeResult.unhealthy("The probe could not run (" + e.getClass().getSimpleName() + ")."), p.actor());
                throw e;
            }
            steps.probed(r);
            if (!r.healthy()) {
                reject(c, version, store, r, p.actor());
                steps.rejected(version, r);
                throw new ApiException(422, "probe_failed", "The new credential failed its probe, so the previous one stays in force: " + r.detail());
            }
            commit(c, version, store, staged, r, p.actor(), "credential", true);
            steps.committed(version, r);
            return r;
        } finally {
            lock.unlock();
        }
    }

    private Secret withExistingTokens(Connection c, Secret fresh) {
        Secret clientSecret = Material.field(Material.read(fresh), "client_secret");
        if (c.currentVersion() == null) return Material.oauth2(clientSecret, null, null, null);
        Credentials.OAuth2 old = (Credentials.OAuth2) activeFor(c).credentials;
        return Material.oauth2(clientSecret, old.accessToken(), old.refreshToken(), old.expiresAt());
    }

    private static boolean hasAccessToken(Secret material) { return Material.field(Material.read(material), "access_token") != null; }

    private int stage(Connection c, String actor, String via) {
        long now = clock.millis();
        return db.write(w -> {
            int v = repo.stageVersion(w, c.tenantId(), c.connectionId(), now);
            audit.append(w, c.tenantId(), actor, "connection.credential_staged", c.connectionId(),
                    Json.object().put("version", v).put("kind", c.kind().wire()).put("via", via).put("secret_backend", c.secretBackend()));
            return v;
        });
    }

    private void put(SecretStore store, Connection c, int version, Secret material) {
        try {
            store.put(new SecretRef(c.tenantId(), c.connectionId(), version), material);
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

    private void commit(Connection c, int version, SecretStore store, Active active, ProbeResult r, String actor, String via, boolean probed) {
        long now = clock.millis();
        Integer previous = db.write(w -> {
            Integer prev = repo.commitVersion(w, c.tenantId(), c.connectionId(), version, r.status(), r.detail(), probed ? now : null, now);
            ObjectNode d = Json.object().put("version", version).put("via", via).put("status", r.status().wire());
            if (prev != null) d.put("previous_version", prev); else d.putNull("previous_version");
            audit.append(w, c.tenantId(), actor, "connection.credential_committed", c.connectionId(), d);
            return prev;
        });
        inForce.put(key(c), active);
        clientCredentialTokens.keySet().removeIf(k -> k.startsWith(key(c) + "#"));
        try {
            store.commit(new SecretRef(c.tenantId(), c.connectionId(), version), previous);
        } catch (SecretStoreException e) {
            // the database says which version is in force; the store only tidies older ones
            log.warn("connection {}: version {} is in force, but the secret store could not retire older ones: {}", c.connectionId(), version, e.getMessage());
        }
    }

    private void reject(Connection c, int version, SecretStore store, ProbeResult r, String actor) {
        long now = clock.millis();
        db.write(w -> {
            repo.unstage(w, c.tenantId(), c.connectionId(), version, now);
            audit.append(w, c.tenantId(), actor, "connection.credential_rejected", c.connectionId(),
                    Json.object().put("version", version).put("detail", r.detail()));
            return null;
        });
        try {
            store.discard(new SecretRef(c.tenantId(), c.connectionId(), version));
        } catch (SecretStoreException e) {
            log.warn("connection {}: could not discard rejected version {}: {}", c.connectionId(), version, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ probes

    /** Probes with the material in force and records the outcome; a connection needing consent answers at once. */
    public ProbeResult probe(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        if (c.status() == ConnectionStatus.REAUTH_REQUIRED) return new ProbeResult(ConnectionStatus.REAUTH_REQUIRED, c.statusDetail());
        if (c.kind() != ConnectionKind.NONE && c.currentVersion() == null) return new ProbeResult(ConnectionStatus.PENDING, c.statusDetail());
        if (c.kind() == ConnectionKind.OAUTH2 && "authorization_code".equals(c.text("grant_type"))
                && ((Credentials.OAuth2) activeFor(c).credentials).accessToken() == null) {
            return new ProbeResult(ConnectionStatus.PENDING, c.statusDetail());
        }
        ProbeResult r;
        try {
            r = probeWith(c, activeFor(c), p.actor(), true);
        } catch (ConnectionFailure f) {
            if (!ConnectionFailure.REAUTH_REQUIRED.equals(f.code())) throw f;
            return new ProbeResult(ConnectionStatus.REAUTH_REQUIRED, f.getMessage());
        }
        long now = clock.millis();
        db.write(w -> {
            // a concurrent refresh failure may have marked it reauth_required meanwhile: that stands
            Connection latest = repo.find(w, c.tenantId(), c.connectionId()).orElse(null);
            if (latest != null && latest.status() != ConnectionStatus.REAUTH_REQUIRED) {
                repo.setStatus(w, c.tenantId(), c.connectionId(), r.status(), r.detail(), now, now);
            }
            return null;
        });
        return r;
    }

    /** An authenticated request to the probe path (aws_iam: AssumeRole, then GetCallerIdentity); healthy on 2xx. */
    private ProbeResult probeWith(Connection c, Active a, String actor, boolean inForceMaterial) {
        if (c.kind() == ConnectionKind.AWS_IAM) {
            return roles.probe(c, a.version, ((Credentials.AwsRole) a.credentials).roleArn());
        }
        OutboundResponse r;
        try {
            r = call(c, a, OutboundRequest.get(c.probePath()), actor, inForceMaterial);
        } catch (ConnectionFailure f) {
            if (ConnectionFailure.REAUTH_REQUIRED.equals(f.code()) && inForceMaterial) throw f;
            return ProbeResult.unhealthy(f.getMessage());
        }
        String what = "HTTP " + r.status() + " from GET " + c.probePath();
        if (r.success()) return ProbeResult.healthy(what + " in " + r.millis() + " ms.");
        if (r.status() == 401 || r.status() == 403) {
            return ProbeResult.unhealthy(what + ": the system refused the credential. Stage a correct one with POST /api/connections/" + c.connectionId() + "/credential.");
        }
        if (r.status() >= 300 && r.status() < 400) return ProbeResult.unhealthy(what + ": a redirect without a Location; check probe_path.");
        return ProbeResult.unhealthy(what + ": expected a 2xx answer. Check probe_path and the system's health.");
    }

    // ------------------------------------------------------------------ calls

    /**
     * Sends a request over a connection with its material in force when the call starts. A
     * connection needing consent fails at once ({@code reauth_required}) without any network call.
     */
    public OutboundResponse send(Principal p, String connectionId, OutboundRequest request) {
        Connection c = get(p, connectionId);
        if (c.kind() == ConnectionKind.AWS_IAM) {
            throw ApiException.invalidRequest("An aws_iam connection is used through AWS SDK clients with awsCredentials(), not raw HTTP calls.");
        }
        failFastIfReauth(c);
        return call(c, activeFor(c), request, p.actor(), true);
    }

    /**
     * {@link #send(Principal, String, OutboundRequest)} with the caller's timeout instead of the
     * connection's own (event delivery gives each attempt 15 s).
     */
    public OutboundResponse send(Principal p, String connectionId, OutboundRequest request, Duration timeout) {
        Connection c = get(p, connectionId);
        if (c.kind() == ConnectionKind.AWS_IAM) {
            throw ApiException.invalidRequest("An aws_iam connection is used through AWS SDK clients with awsCredentials(), not raw HTTP calls.");
        }
        failFastIfReauth(c);
        return call(c, activeFor(c), request, p.actor(), true, timeout);
    }

    /**
     * Sends to a URL with no credential, under the tenant's outbound address policy: event delivery
     * to a connector's {@code webhook_url}. The same path as a connection's calls, so the policy is
     * checked before the request and before every redirect hop, and a redirect is followed only on
     * the same host. Failures are {@link ConnectionFailure}s whose messages never carry the query.
     */
    public OutboundResponse sendToUrl(String tenantId, URI url, String method, Map<String, List<String>> headers, byte[] body, Duration timeout) {
        AddressPolicy policy = settings(tenantId).policy();
        return OutboundHttp.send(policy, tenantId, plainClient(tenantId), url, method, headers, body, Injector.NONE, timeout);
    }

    /** Refuses ({@link ConnectionFailure} {@code address_refused}) a URL outside the tenant's outbound address policy. */
    public void checkAddress(String tenantId, URI url) {
        settings(tenantId).policy().check(url, tenantId);
    }

    /** Short-lived credentials of an aws_iam connection for AWS SDK clients; minted per use, cached in memory only. */
    public AwsCredentialsProvider awsCredentials(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        if (c.kind() != ConnectionKind.AWS_IAM) throw ApiException.invalidRequest("Connection " + connectionId + " is not an aws_iam connection.");
        return () -> {
            Connection now = get(p, connectionId);
            Active a = activeFor(now);
            AwsSessionCredentials creds = roles.credentials(now, a.version, ((Credentials.AwsRole) a.credentials).roleArn());
            return creds;
        };
    }

    private void failFastIfReauth(Connection c) {
        if (c.status() == ConnectionStatus.REAUTH_REQUIRED) {
            throw new ConnectionFailure(ConnectionFailure.REAUTH_REQUIRED, "Connection " + c.connectionId() + " needs consent again (" + c.statusDetail()
                    + "). Open GET /api/connections/" + c.connectionId() + "/authorize, or run: airotech-connect connections authorize --tenant "
                    + c.tenantId() + " " + c.connectionId());
        }
    }

    private OutboundResponse call(Connection c, Active a, OutboundRequest request, String actor, boolean inForceMaterial) {
        return call(c, a, request, actor, inForceMaterial, timeout(c));
    }

    private OutboundResponse call(Connection c, Active a, OutboundRequest request, String actor, boolean inForceMaterial, Duration timeout) {
        Secret bearer = null;
        if (c.kind() == ConnectionKind.OAUTH2) bearer = accessToken(c, a, actor, inForceMaterial);
        URI uri;
        try {
            uri = URI.create(c.baseUrl() + request.path());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Field 'path' does not form a valid URL with the connection's base_url.");
        }
        AddressPolicy policy = settings(c.tenantId()).policy();
        return OutboundHttp.send(policy, c.tenantId(), a.client, uri, request, a.injector(c, bearer), timeout);
    }

    private static Duration timeout(Connection c) {
        return Duration.ofSeconds(c.config().path("timeout_seconds").asInt(10));
    }

    /** The material in force for a connection: reused while its version is current, else read from the store. */
    private Active activeFor(Connection c) {
        if (c.currentVersion() == null) {
            if (c.kind() == ConnectionKind.NONE) return inForce.computeIfAbsent(key(c), k -> Active.none(c, dns(c)));
            throw new ConnectionFailure(ConnectionFailure.NO_MATERIAL, "Connection " + c.connectionId() + " has no credential yet: POST it to /api/connections/"
                    + c.connectionId() + "/credential.");
        }
        Active cached = inForce.get(key(c));
        if (cached != null && cached.version == c.currentVersion()) return cached;
        Secret material;
        try {
            material = store(c).get(new SecretRef(c.tenantId(), c.connectionId(), c.currentVersion()));
        } catch (SecretStoreException | SealedValueException e) {
            throw ApiException.unavailable("The material of connection " + c.connectionId() + " cannot be read: " + e.getMessage());
        }
        Active a = Active.open(c, c.currentVersion(), material, dns(c));
        inForce.merge(key(c), a, (old, nu) -> old.version >= nu.version ? old : nu);
        return a;
    }

    // ------------------------------------------------------------------ oauth2

    /** The access token for a call: refreshed first when inside its expiry window, one refresh per connection at a time. */
    private Secret accessToken(Connection c, Active a, String actor, boolean inForceMaterial) {
        Credentials.OAuth2 t = (Credentials.OAuth2) a.credentials;
        Instant now = clock.instant();
        if ("client_credentials".equals(c.text("grant_type"))) return clientCredentialsToken(c, a, t, now, inForceMaterial);
        if (t.freshAt(now, REFRESH_WINDOW_SECONDS)) return t.accessToken();
        if (!inForceMaterial) {
            // tokens just obtained by a consent and being probed: never refreshed before they are committed
            if (t.validAt(now)) return t.accessToken();
            throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The vendor issued an access token that has already expired; check the server clocks.");
        }
        ReentrantLock lock = refreshLocks.computeIfAbsent(key(c), k -> new ReentrantLock());
        lock.lock();
        try {
            // another call may have refreshed (or failed) while this one waited for the lock
            Connection row = repo.find(c.tenantId(), c.connectionId()).orElseThrow(() -> ApiException.notFound("Connection " + c.connectionId()));
            failFastIfReauth(row);
            Active latest = activeFor(row);
            Credentials.OAuth2 lt = (Credentials.OAuth2) latest.credentials;
            if (lt.freshAt(now, REFRESH_WINDOW_SECONDS)) return lt.accessToken();
            return refresh(row, latest, lt, actor, now);
        } finally {
            lock.unlock();
        }
    }

    private Secret refresh(Connection c, Active a, Credentials.OAuth2 t, String actor, Instant now) {
        if (t.refreshToken() == null) {
            if (t.validAt(now)) return t.accessToken();
            markReauthRequired(c, actor, "the access token expired and the vendor issued no refresh token");
            failFastIfReauth(repo.find(c.tenantId(), c.connectionId()).orElseThrow());
        }
        OAuth2Client.Tokens fresh;
        try {
            fresh = OAuth2Client.refresh(c, settings(c.tenantId()).policy(), a.client, t.clientSecret(), t.refreshToken(), now);
        } catch (OAuth2Client.Refused e) {
            // another process may have refreshed first (vendors rotate refresh tokens on use): re-read before giving up
            Connection row = repo.find(c.tenantId(), c.connectionId()).orElseThrow();
            if (row.currentVersion() != null && row.currentVersion() != a.version) {
                Credentials.OAuth2 other = (Credentials.OAuth2) activeFor(row).credentials;
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
        Secret material = Material.oauth2(t.clientSecret(), fresh.accessToken(), fresh.refreshToken() != null ? fresh.refreshToken() : t.refreshToken(), fresh.expiresAt());
        long nowMs = clock.millis();
        int version = db.write(w -> repo.stageVersion(w, c.tenantId(), c.connectionId(), nowMs));
        SecretStore store = store(c);
        put(store, c, version, material);
        Active next = Active.open(c, version, material, dns(c));
        Integer previous = db.write(w -> repo.commitVersion(w, c.tenantId(), c.connectionId(), version, c.status(), c.statusDetail(), null, nowMs));
        inForce.put(key(c), next);
        try {
            store.commit(new SecretRef(c.tenantId(), c.connectionId(), version), previous);
        } catch (SecretStoreException e) {
            log.warn("connection {}: refreshed tokens are in force, but older versions were not retired: {}", c.connectionId(), e.getMessage());
        }
        log.info("connection {}: access token refreshed", c.connectionId());
        return fresh.accessToken();
    }

    private Secret clientCredentialsToken(Connection c, Active a, Credentials.OAuth2 t, Instant now, boolean inForceMaterial) {
        String k = key(c) + "#" + a.version;
        Credentials.OAuth2 cached = clientCredentialTokens.get(k);
        if (cached != null && cached.freshAt(now, REFRESH_WINDOW_SECONDS)) return cached.accessToken();
        ReentrantLock lock = refreshLocks.computeIfAbsent(key(c), x -> new ReentrantLock());
        lock.lock();
        try {
            cached = clientCredentialTokens.get(k);
            if (cached != null && cached.freshAt(now, REFRESH_WINDOW_SECONDS)) return cached.accessToken();
            OAuth2Client.Tokens tokens;
            try {
                tokens = OAuth2Client.clientCredentials(c, settings(c.tenantId()).policy(), a.client, t.clientSecret(), now);
            } catch (OAuth2Client.Refused e) {
                throw new ConnectionFailure(ConnectionFailure.TOKEN_ENDPOINT, "The token endpoint refused the client credentials (" + e.error
                        + "). Check config.client_id and stage the right client secret.");
            }
            Credentials.OAuth2 got = new Credentials.OAuth2(t.clientSecret(), tokens.accessToken(), null, tokens.expiresAt());
            // tokens of this grant are kept in memory only: a new one is one request away
            if (inForceMaterial) clientCredentialTokens.put(k, got);
            return got.accessToken();
        } finally {
            lock.unlock();
        }
    }

    private void markReauthRequired(Connection c, String actor, String reason) {
        String detail = "Consent must be given again: " + reason + ". Open GET /api/connections/" + c.connectionId() + "/authorize.";
        long now = clock.millis();
        boolean changed = db.write(w -> {
            Connection latest = repo.find(w, c.tenantId(), c.connectionId()).orElse(null);
            if (latest == null || latest.status() == ConnectionStatus.REAUTH_REQUIRED) return false;
            repo.setStatus(w, c.tenantId(), c.connectionId(), ConnectionStatus.REAUTH_REQUIRED, detail, null, now);
            audit.append(w, c.tenantId(), actor, "connection.reauth_required", c.connectionId(), Json.object().put("reason", reason));
            return true;
        });
        if (changed) log.warn("connection {} of tenant {} needs consent again: {}", c.connectionId(), c.tenantId(), reason);
    }

    /** The vendor's consent URL for an oauth2 connection, with its scopes, a state bound to it, and a PKCE challenge. */
    public String authorizeUrl(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        if (c.kind() != ConnectionKind.OAUTH2 || !"authorization_code".equals(c.text("grant_type"))) {
            throw ApiException.invalidRequest("Consent applies only to oauth2 connections with the authorization_code grant.");
        }
        String state = b64url(Crypto.randomBytes(32));
        String verifier = b64url(Crypto.randomBytes(32));
        String challenge = b64url(Crypto.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        String stateHash = Crypto.sha256Hex(state);
        String redirect = c.text("redirect_uri") != null ? c.text("redirect_uri") : callbackBase.get() + "/oauth2/callback";
        byte[] sealed = stores.local().sealFor(c.tenantId(), verifier.getBytes(StandardCharsets.US_ASCII), verifierAd(c.tenantId(), c.connectionId(), stateHash));
        long now = clock.millis();
        db.write(w -> {
            repo.insertState(w, stateHash, c.tenantId(), c.connectionId(), sealed, redirect, p.actor(), now, now + CONSENT_TTL.toMillis());
            return null;
        });
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", c.text("client_id"));
        q.put("redirect_uri", redirect);
        String scopes = OAuth2Client.scopes(c);
        if (!scopes.isEmpty()) q.put("scope", scopes);
        q.put("state", state);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        String base = c.text("authorize_url");
        return base + (base.contains("?") ? "&" : "?") + OAuth2Client.encode(q);
    }

    private static String verifierAd(String tenantId, String connectionId, String stateHash) {
        return "oauth2-pkce-verifier\n" + tenantId + "\n" + connectionId + "\n" + stateHash;
    }

    /**
     * The vendor's redirect: the state (used once, within ten minutes) names the connection; the
     * code is exchanged with the PKCE verifier, and the new tokens are probed before they are committed.
     */
    public Consent completeConsent(String code, String state, String vendorError) {
        try {
            return exchangeConsent(code, state, vendorError);
        } finally {
            consentSettled();
        }
    }

    /** How a consent ended: the connection then, and the reason when no tokens came (null when they did). */
    public record ConsentOutcome(Connection connection, String failure) {}

    private final Object consentSignal = new Object();
    private long consentsSettled; // guarded by consentSignal

    private void consentSettled() {
        synchronized (consentSignal) {
            consentsSettled++;
            consentSignal.notifyAll();
        }
    }

    /**
     * Waits until a consent given after {@code since} has settled for this connection: tokens stored
     * and probed (healthy, or unhealthy with the probe's reason), or refused (the audit's
     * {@code connection.consent_failed}). Null after {@code timeout}. Woken by this process's
     * callbacks; a callback answered by another process sharing the data directory is seen within a second.
     */
    public ConsentOutcome awaitConsent(Principal p, String connectionId, Instant since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AuditQuery refused = new AuditQuery(since, null, "connection.consent_failed", null, connectionId, null, 1, null);
        while (true) {
            long seen;
            synchronized (consentSignal) { seen = consentsSettled; }
            Connection c = get(p, connectionId);
            if (consentGiven(c, since)) return new ConsentOutcome(c, null);
            AuditPage failed = audit.page(p.tenantId(), refused);
            if (!failed.entries().isEmpty()) return new ConsentOutcome(c, failed.entries().get(0).detail().path("reason").asText());
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return null;
            synchronized (consentSignal) {
                // woken by a settled consent; after a second look again anyway (another process may have answered)
                if (consentsSettled == seen) consentSignal.wait(Math.min(left, 1000));
            }
        }
    }

    /** True once the consent came back with tokens: the connection turned healthy, or a probe after it failed. */
    static boolean consentGiven(Connection c, Instant since) {
        if (c.status() == ConnectionStatus.HEALTHY) return c.updatedAt() == null || !c.updatedAt().isBefore(since);
        return c.status() == ConnectionStatus.UNHEALTHY && c.lastProbeAt() != null && !c.lastProbeAt().isBefore(since);
    }

    private Consent exchangeConsent(String code, String state, String vendorError) {
        if (state == null || state.isEmpty() || state.length() > 200) throw ApiException.invalidRequest("The callback carries no valid 'state'; start consent again.");
        String stateHash = Crypto.sha256Hex(state);
        ConnectionRepository.PendingConsent pc = db.write(w -> repo.takeState(w, stateHash))
                .orElseThrow(() -> ApiException.invalidRequest("Unknown or already used 'state': nothing was exchanged. Start consent again from GET /api/connections/{id}/authorize."));
        if (pc.expiresAt() < clock.millis()) throw consentFailed(pc, ApiException.invalidRequest("This consent took longer than ten minutes and expired; start it again."));
        if (vendorError != null) {
            throw consentFailed(pc, ApiException.invalidRequest("The vendor reported '" + Text.sanitize(vendorError, 64) + "' instead of a code; nothing was exchanged. Start consent again."));
        }
        if (code == null || code.isEmpty() || code.length() > 4096) throw consentFailed(pc, ApiException.invalidRequest("The callback carries no 'code'; start consent again."));
        Connection c = repo.find(pc.tenantId(), pc.connectionId()).orElseThrow(() -> ApiException.notFound("Connection"));
        Secret verifier = Secret.wrap(stores.local().openFor(c.tenantId(), pc.sealedVerifier(), verifierAd(c.tenantId(), c.connectionId(), stateHash)));
        ReentrantLock lock = stageLocks.computeIfAbsent(key(c), k -> new ReentrantLock());
        lock.lock();
        try {
            c = repo.find(pc.tenantId(), pc.connectionId()).orElseThrow(() -> ApiException.notFound("Connection"));
            Secret clientSecret = c.currentVersion() == null ? null : ((Credentials.OAuth2) activeFor(c).credentials).clientSecret();
            OAuth2Client.Tokens tokens;
            try {
                tokens = OAuth2Client.exchangeCode(c, settings(c.tenantId()).policy(), Active.none(c, dns(c)).client, clientSecret, code, verifier,
                        pc.redirectUri(), clock.instant());
            } catch (OAuth2Client.Refused e) {
                throw consentFailed(pc, new ApiException(422, "token_exchange_failed", "The vendor refused the authorization code (" + e.error
                        + "). Check the client id and secret, then start consent again."));
            } catch (ConnectionFailure f) {
                throw consentFailed(pc, new ApiException(422, "token_exchange_failed", f.getMessage()));
            }
            Secret material = Material.oauth2(clientSecret, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt());
            int version = stage(c, pc.actor(), "consent");
            SecretStore store = store(c);
            put(store, c, version, material);
            Active staged = Active.open(c, version, material, dns(c));
            ProbeResult r = probeWith(c, staged, pc.actor(), false);
            if (!r.healthy()) {
                reject(c, version, store, r, pc.actor());
                long now = clock.millis();
                Connection cc = c;
                db.write(w -> {
                    repo.setStatus(w, cc.tenantId(), cc.connectionId(), ConnectionStatus.UNHEALTHY, r.detail(), now, now);
                    return null;
                });
                throw new ApiException(422, "probe_failed", "Consent was given, but the probe with the new token failed: " + r.detail());
            }
            commit(c, version, store, staged, r, pc.actor(), "consent", true);
            log.info("connection {}: consent completed", c.connectionId());
            return new Consent(c.tenantId(), c.connectionId(), r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A consent that came back without tokens: audited ({@code connection.consent_failed}, which the
     * console's consent dialog waits for as well), and the reason shown on a connection that has
     * no usable tokens. A connection that has some keeps its status and detail: its tokens still work.
     */
    private ApiException consentFailed(ConnectionRepository.PendingConsent pc, ApiException e) {
        long now = clock.millis();
        db.write(w -> {
            Optional<Connection> found = repo.find(w, pc.tenantId(), pc.connectionId());
            audit.append(w, pc.tenantId(), pc.actor(), "connection.consent_failed", pc.connectionId(),
                    Json.object().put("error", e.code()).put("reason", e.getMessage()));
            if (found.isPresent() && (found.get().status() == ConnectionStatus.PENDING || found.get().status() == ConnectionStatus.REAUTH_REQUIRED)) {
                repo.setStatus(w, pc.tenantId(), pc.connectionId(), found.get().status(), "Consent failed: " + e.getMessage(), null, now);
            }
            return null;
        });
        return e;
    }

    // ------------------------------------------------------------------ aws_iam

    /** Null when aws_iam connections can be created (the platform's principal is known); else what the operator must do. */
    public String awsIamUnavailableReason() {
        try {
            platformPrincipal();
            return null;
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    private String platformPrincipal() {
        String configured = aws.configuredPrincipal();
        if (configured != null) return configured;
        try {
            String arn = aws.sts(aws.region(null)).getCallerIdentity().arn();
            // an assumed-role session is named in trust policies by its role
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*$").matcher(arn);
            return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : arn;
        } catch (SdkException | SecretStoreException e) {
            // the region message speaks of a connection's config; here it is the platform's own settings that are missing
            String why = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode()
                    : e instanceof SecretStoreException ? "no AWS region (AWS_REGION) is set for the platform" : Text.sanitize(e.getMessage(), 160);
            throw ApiException.invalidRequest("The platform does not know the AWS principal tenants' roles must trust (" + why + "). Set "
                    + AwsEnvironment.PRINCIPAL_ENV + " to the platform's role or user ARN, or give the platform AWS credentials and a region.");
        }
    }

    static ObjectNode trustPolicy(String principal, String externalId) {
        ObjectNode policy = Json.object().put("Version", "2012-10-17");
        ObjectNode st = policy.putArray("Statement").addObject();
        st.put("Effect", "Allow");
        st.putObject("Principal").put("AWS", principal);
        st.put("Action", "sts:AssumeRole");
        st.putObject("Condition").putObject("StringEquals").put("sts:ExternalId", externalId);
        return policy;
    }

    /** 48 characters from a 56-letter alphabet (about 278 bits): unique, unguessable, never chosen by the caller. */
    static String newExternalId() {
        StringBuilder sb = new StringBuilder(48);
        for (int i = 0; i < 48; i++) sb.append(EXTERNAL_ID_ALPHABET[RANDOM.nextInt(EXTERNAL_ID_ALPHABET.length)]);
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    private SecretStore store(Connection c) {
        try {
            return stores.forBackend(c.secretBackend());
        } catch (SecretStoreException e) {
            throw ApiException.unavailable(e.getMessage());
        }
    }

    private void forget(Connection c) {
        inForce.remove(key(c));
        clientCredentialTokens.keySet().removeIf(k -> k.startsWith(key(c) + "#"));
        roles.forget(c);
    }

    private static String key(Connection c) { return c.tenantId() + "/" + c.connectionId(); }

    /** The resolver a connection's HTTP client connects through: the tenant's policy in force at each connect. */
    private org.apache.hc.client5.http.DnsResolver dns(Connection c) {
        String tenantId = c.tenantId();
        return guard.resolverFor(tenantId, () -> settings(tenantId).policy());
    }

    private final ConcurrentHashMap<String, org.apache.hc.client5.http.impl.classic.CloseableHttpClient> plainClients = new ConcurrentHashMap<>();

    /**
     * A client without credential or custom CA for one tenant (a URL that is no connection, such as a
     * connector's webhook_url): like every connection's client, it connects only to addresses the
     * tenant's policy allows, resolved and checked at the moment of connecting.
     */
    org.apache.hc.client5.http.impl.classic.CloseableHttpClient plainClient(String tenantId) {
        return plainClients.computeIfAbsent(tenantId, t -> Tls.client(null, null, guard.resolverFor(t, () -> settings(t).policy())));
    }

    /** Tests play a DNS server whose answers change (rebinding). */
    void useNames(OutboundGuard.Names names) { guard.useNames(names); }

    private static String b64url(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }
}
