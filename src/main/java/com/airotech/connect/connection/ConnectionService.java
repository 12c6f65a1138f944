package com.airotech.connect.connection;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.secret.SecretStores;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.InvalidatingCache;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Outbound connections (API.md §6), the one door the gateway, the command line, the console and
 * delivery use: creating them, entering material through staged rotation ({@link Staging}),
 * probing, OAuth2 consent ({@link OAuth2Consent}) and refresh ({@link TokenRefresh}), aws_iam setup
 * ({@link AwsSetup}, {@link AwsRoles}), and the calls themselves, which inject the material in
 * force when they start. What differs between kinds lives in the kind's class ({@link Kind}).
 * Material comes only from the tenant's secret store and leaves the platform only inside an
 * outgoing request. Knows nothing of HTTP serving: outcomes are values ({@link Detail},
 * {@link ProbeFailed}, {@link ConnectionFailure}) that each front end words.
 */
public final class ConnectionService {
    private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);

    /** A new connection, with what the creator must see once (for aws_iam: the external id and trust policy). */
    public record Created(Connection connection, ObjectNode trustPolicy) {}

    /** What a completed consent did. */
    public record Consent(String tenantId, String connectionId, ProbeResult result) {}

    /** How a consent ended: the connection then, and the reason when no tokens came (null when they did). */
    public record ConsentOutcome(Connection connection, String failure) {}

    private final Database db;
    private final AuditLog audit;
    private final SecretStores stores;
    private final Clock clock;
    private final ConnectionRepository repo;
    private final AwsRoles roles;
    private final AwsSetup awsSetup;
    private final InForce inForce;
    private final Staging staging;
    private final TokenRefresh tokens;
    private final OAuth2Consent consent;
    /**
     * The tenants' outbound settings, read on every call and delivery attempt: cleared on every change,
     * in this process at once, from another process (the command line) through the change counter.
     */
    private final InvalidatingCache<String, OutboundSettings> settingsCache = new InvalidatingCache<>(10_000);

    public ConnectionService(Database db, AuditLog audit, SecretStores stores, AwsEnvironment aws, Clock clock, Supplier<String> callbackBase,
                             OutboundGuard guard) {
        this.db = db;
        this.audit = audit;
        this.stores = stores;
        this.clock = clock;
        this.repo = new ConnectionRepository(db);
        this.roles = new AwsRoles(aws, clock);
        this.awsSetup = new AwsSetup(aws);
        this.inForce = new InForce(stores, guard, t -> settings(t).policy());
        // committing a version drops the client-credentials tokens of older ones
        this.staging = new Staging(db, repo, audit, clock, inForce, this::forgetTokens);
        this.tokens = new TokenRefresh(db, repo, audit, clock, inForce, staging, t -> settings(t).policy());
        this.consent = new OAuth2Consent(db, repo, audit, stores.local(), clock, callbackBase, inForce, staging, this::probeWith, t -> settings(t).policy());
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
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTION_POLICY_CHANGED, p.tenantId(), d);
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
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTION_SECRET_STORE_CHANGED, p.tenantId(), d);
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
        KindConfig config = n.config();
        String externalId = null;
        ObjectNode trust = null;
        if (config instanceof AwsIamKind.Config aws) {
            externalId = AwsSetup.newExternalId();
            String principal = awsSetup.platformPrincipal();
            config = aws.withPrincipal(principal);
            trust = AwsSetup.trustPolicy(principal, externalId);
        }
        Instant now = clock.instant();
        Connection c = new Connection(p.tenantId(), id, n.name(), n.kind(), n.baseUrl(), config, n.probePath(), externalId, backend,
                null, null, ConnectionStatus.PENDING, n.kind().spec().missing(), null, now, now);
        db.write(w -> {
            if (repo.nameTaken(w, p.tenantId(), n.name())) {
                throw ApiException.conflict("connection_exists", "A connection named '" + n.name() + "' already exists for this tenant; choose another name.");
            }
            repo.insert(w, c);
            ObjectNode d = Json.object().put("name", n.name()).put("kind", n.kind().wire()).put("secret_backend", backend);
            if (n.baseUrl() != null) d.put("base_url", n.baseUrl());
            if (c.externalId() != null) d.put("external_id", c.externalId());
            audit.append(w, p.tenantId(), p.actor(), AuditAction.CONNECTION_CREATED, id, d);
            return null;
        });
        log.info("connection {} ({}) created for tenant {}", id, n.kind().wire(), p.tenantId());
        return new Created(c, trust);
    }

    private void forgetTokens(Connection c) { tokens.forget(c); }

    public List<Connection> list(Principal p) { return repo.list(p.tenantId()); }

    public Connection get(Principal p, String connectionId) {
        if (connectionId == null || connectionId.length() > 64) throw ApiException.notFound("Connection");
        return repo.find(p.tenantId(), connectionId).orElseThrow(() -> ApiException.notFound("Connection " + Text.sanitize(connectionId, 64)));
    }

    public void delete(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        inForce.store(c).deleteAll(c.tenantId(), c.connectionId());
        db.write(w -> {
            repo.delete(w, c.tenantId(), c.connectionId());
            audit.append(w, c.tenantId(), p.actor(), AuditAction.CONNECTION_DELETED, c.connectionId(), Json.object().put("name", c.name()).put("kind", c.kind().wire()));
            return null;
        });
        inForce.forget(c);
        tokens.forget(c);
        roles.forget(c);
    }

    // ------------------------------------------------------------------ material: stage → probe → commit

    /**
     * Stages new material, probes with it, and commits only if the probe passes; otherwise the
     * previous material stays in force ({@link ProbeFailed}). For oauth2 the client secret is kept
     * without a probe (tokens arrive through consent, or, for the client-credentials grant, the
     * probe fetches one).
     */
    public ProbeResult putCredential(Principal p, String connectionId, ObjectNode body) {
        return putCredential(p, connectionId, body, StagingListener.NONE);
    }

    /** {@link #putCredential(Principal, String, ObjectNode)}, telling {@code steps} about each step as it happens. */
    public ProbeResult putCredential(Principal p, String connectionId, ObjectNode body, StagingListener steps) {
        Connection c = get(p, connectionId);
        if (body == null) throw ApiException.invalidRequest("Send the credential as a JSON object.");
        Material material = c.kind().spec().material(body);
        return staging.change(() -> get(p, connectionId), p.actor(), material, steps, this::probeWith);
    }

    // ------------------------------------------------------------------ probes

    /** Probes with the material in force and records the outcome; a connection waiting for material or consent answers at once. */
    public ProbeResult probe(Principal p, String connectionId) {
        Connection c = get(p, connectionId);
        if (c.status() == ConnectionStatus.REAUTH_REQUIRED) return new ProbeResult(ConnectionStatus.REAUTH_REQUIRED, c.statusDetail());
        if (c.kind() != ConnectionKind.NONE && c.currentVersion() == null) return new ProbeResult(ConnectionStatus.PENDING, c.statusDetail());
        if (c.needsConsentToConnect() && inForce.of(c).grant().accessToken() == null) return new ProbeResult(ConnectionStatus.PENDING, c.statusDetail());
        ProbeResult r;
        try {
            r = probeWith(c, inForce.of(c), p.actor(), true);
        } catch (ConnectionFailure f) {
            if (!ConnectionFailure.REAUTH_REQUIRED.equals(f.code())) throw f;
            return new ProbeResult(ConnectionStatus.REAUTH_REQUIRED, f.need() != null ? f.need() : new Detail.Text(f.getMessage()));
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
        if (c.kind() == ConnectionKind.AWS_IAM) return roles.probe(c, a.version, a.role().roleArn());
        OutboundResponse r;
        try {
            r = call(c, a, OutboundRequest.get(c.probePath()), actor, inForceMaterial, timeout(c));
        } catch (ConnectionFailure f) {
            if (ConnectionFailure.REAUTH_REQUIRED.equals(f.code()) && inForceMaterial) throw f;
            return ProbeResult.unhealthy(f.need() instanceof Detail.TargetRefused t ? t : new Detail.Text(f.getMessage()));
        }
        String what = "HTTP " + r.status() + " from GET " + c.probePath();
        if (r.success()) return ProbeResult.healthy(what + " in " + r.millis() + " ms.");
        if (r.status() == 401 || r.status() == 403) return ProbeResult.unhealthy(new Detail.CredentialRefused(what));
        if (r.status() >= 300 && r.status() < 400) return ProbeResult.unhealthy(what + ": a redirect without a Location; check probe_path.");
        return ProbeResult.unhealthy(what + ": expected a 2xx answer. Check probe_path and the system's health.");
    }

    // ------------------------------------------------------------------ calls

    /**
     * Sends a request over a connection with its material in force when the call starts. A
     * connection needing consent fails at once ({@code reauth_required}) without any network call.
     */
    public OutboundResponse send(Principal p, String connectionId, OutboundRequest request) {
        return send(p, connectionId, request, null);
    }

    /**
     * {@link #send(Principal, String, OutboundRequest)} with the caller's timeout instead of the
     * connection's own (event delivery gives each attempt 15 s); null: the connection's own.
     */
    public OutboundResponse send(Principal p, String connectionId, OutboundRequest request, Duration timeout) {
        Connection c = get(p, connectionId);
        if (c.kind() == ConnectionKind.AWS_IAM && c.baseUrl() == null) throw noBaseUrl(c);
        TokenRefresh.failFastIfReauth(c);
        return call(c, inForce.of(c), request, p.actor(), true, timeout == null ? timeout(c) : timeout);
    }

    /**
     * Sends to a URL with no credential, under the tenant's outbound address policy: event delivery
     * to a connector's {@code webhook_url}. The same path as a connection's calls, so the policy is
     * checked before the request and before every redirect hop, and a redirect is followed only on
     * the same host. Failures are {@link ConnectionFailure}s whose messages never carry the query.
     */
    public OutboundResponse sendToUrl(String tenantId, URI url, String method, Map<String, List<String>> headers, byte[] body, Duration timeout) {
        AddressPolicy policy = settings(tenantId).policy();
        return OutboundHttp.send(policy, tenantId, inForce.plainClient(tenantId), url, method, headers, body, Injector.NONE, timeout);
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
            Active a = inForce.of(now);
            return roles.credentials(now, a.version, a.role().roleArn());
        };
    }

    /** An aws_iam connection is created without a base_url when it serves AWS SDK clients only; raw calls and deliveries need one. */
    public static ApiException noBaseUrl(Connection c) {
        return ApiException.invalidRequest("Connection " + c.connectionId() + " is an aws_iam connection without a 'base_url': requests signed with SigV4 go"
                + " to an API Gateway endpoint such as https://abc123.execute-api.eu-central-1.amazonaws.com/prod. Create the connection again with"
                + " field 'base_url' set to it (the same role and trust policy can be used).");
    }

    private OutboundResponse call(Connection c, Active a, OutboundRequest request, String actor, boolean inForceMaterial, Duration timeout) {
        if (c.kind() == ConnectionKind.AWS_IAM) {
            if (c.baseUrl() == null) throw noBaseUrl(c);
            // the role's session (cached until shortly before it expires) signs; minted before the address check like an oauth2 token
            Injector sigv4 = AwsIamKind.signer(roles.credentials(c, a.version, a.role().roleArn()), roles.region(c).id(), clock);
            return OutboundHttp.send(settings(c.tenantId()).policy(), c.tenantId(), a.client, url(c, request), request, sigv4, timeout);
        }
        var bearer = c.kind() == ConnectionKind.OAUTH2 ? tokens.accessToken(c, a, actor, inForceMaterial) : null;
        AddressPolicy policy = settings(c.tenantId()).policy();
        return OutboundHttp.send(policy, c.tenantId(), a.client, url(c, request), request, a.injector(c, bearer), timeout);
    }

    private static URI url(Connection c, OutboundRequest request) {
        URI uri;
        try {
            uri = URI.create(c.baseUrl() + request.path());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Field 'path' does not form a valid URL with the connection's base_url.");
        }
        return uri;
    }

    private static Duration timeout(Connection c) { return Duration.ofSeconds(c.config().timeoutSeconds()); }

    // ------------------------------------------------------------------ oauth2 consent

    /** The vendor's consent URL for an oauth2 connection, with its scopes, a state bound to it, and a PKCE challenge. */
    public String authorizeUrl(Principal p, String connectionId) { return consent.authorizeUrl(get(p, connectionId), p.actor()); }

    /**
     * The vendor's redirect: the state (used once, within ten minutes) names the connection; the
     * code is exchanged with the PKCE verifier, and the new tokens are probed before they are committed.
     */
    public Consent completeConsent(String code, String state, String vendorError) { return consent.complete(code, state, vendorError); }

    /**
     * Waits until a consent given after {@code since} has settled for this connection: tokens stored
     * and probed (healthy, or unhealthy with the probe's reason), or refused (the audit's
     * {@code connection.consent_failed}). Null after {@code timeout}. Woken by this process's
     * callbacks; a callback answered by another process sharing the data directory is seen within a second.
     */
    public ConsentOutcome awaitConsent(Principal p, String connectionId, Instant since, Duration timeout) throws InterruptedException {
        return consent.await(p.tenantId(), connectionId, () -> get(p, connectionId), since, timeout);
    }

    // ------------------------------------------------------------------ aws_iam

    /** Null when aws_iam connections can be created (the platform's principal is known); else what the operator must do. */
    public String awsIamUnavailableReason() { return awsSetup.unavailableReason(); }

    /** Tests play a DNS server whose answers change (rebinding). */
    void useNames(OutboundGuard.Names names) { inForce.useNames(names); }
}
