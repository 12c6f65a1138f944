package com.airotech.connect.delivery;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.common.Times;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.Database;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions (API.md §7): creating them against the tenant's own connectors and connections,
 * changing, disabling and deleting them, rotating their signing secret, and reading, retrying and
 * recovering their deliveries. Every method takes the tenant from the principal; another tenant's
 * subscription, delivery, connector or connection is {@code 404 not_found}. Knows nothing of HTTP:
 * the gateway, the command line and the console call the same methods. The sending itself is the
 * {@link Dispatcher}'s, which runs only beside a gateway and hears of every change made here.
 */
public final class SubscriptionService {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;
    static final Duration MAX_GRACE = Duration.ofDays(7);

    /** A new subscription, with its signing secret for the creator to see once (null for a connection target). */
    public record Created(Subscription subscription, Secret signingSecret, String signingSecretSha256) {}

    /** A rotation: the new secret (once), its SHA-256, and when the previous one stops signing. */
    public record Rotated(Subscription subscription, Secret signingSecret, String signingSecretSha256, Instant previousValidUntil) {}

    private final Database db;
    private final SubscriptionRepository repo;
    private final AuditLog audit;
    private final Sealer sealer;
    private final Clock clock;
    private final ConnectorService connectors;
    private final ConnectionService connections;
    private final DeliverySettings settings;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public SubscriptionService(Database db, AuditLog audit, Sealer sealer, Clock clock, ConnectorService connectors, ConnectionService connections,
                               DeliverySettings settings) {
        this.db = db;
        this.repo = new SubscriptionRepository(db);
        this.audit = audit;
        this.sealer = sealer;
        this.clock = clock;
        this.connectors = connectors;
        this.connections = connections;
        this.settings = settings;
    }

    SubscriptionRepository repo() { return repo; }
    Clock clock() { return clock; }
    public DeliverySettings settings() { return settings; }
    Sealer sealer() { return sealer; }
    ConnectorService connectors() { return connectors; }
    ConnectionService connections() { return connections; }
    AuditLog audit() { return audit; }

    /** Told of every change made through this service (the subscription id). */
    public void onChange(Consumer<String> listener) { listeners.add(listener); }

    private void changed(String subscriptionId) {
        for (Consumer<String> l : listeners) l.accept(subscriptionId);
    }

    // ------------------------------------------------------------------ administration

    public Created create(Principal p, NewSubscription n) {
        checkTarget(p, n.target());
        if (n.sourceConnectors() != null) for (String id : n.sourceConnectors()) connectors.get(p, id);
        String id = Crypto.newId("sb");
        Instant now = clock.instant();
        long start = db.read(c -> {
            if (n.startFrom().earliest()) return 0L;
            if (n.startFrom().since() != null) return repo.seqBefore(c, p.tenantId(), n.startFrom().since().toEpochMilli());
            return repo.maxSeq(c, p.tenantId());
        });
        Subscription s = new Subscription(p.tenantId(), id, n.name(), n.eventTypes(), n.sourceConnectors(), n.target(), n.enabled(), null, null,
                start, start, null, null, null, null, 0, now, now, null, null);
        SigningSecrets.Issued secret = n.target() instanceof Target.ToConnector ? SigningSecrets.issue(sealer, p.tenantId(), id) : null;
        db.write(w -> {
            repo.insert(w, s);
            if (secret != null) repo.insertSecret(w, secret.secretId(), p.tenantId(), id, secret.sha256(), secret.sealed(), now.toEpochMilli());
            ObjectNode d = Json.object().put("name", n.name()).set("target", targetJson(n.target()));
            d.put("enabled", n.enabled()).put("start_seq", start);
            if (n.eventTypes() != null) d.set("event_types", Json.MAPPER.valueToTree(n.eventTypes()));
            if (n.sourceConnectors() != null) d.set("source_connectors", Json.MAPPER.valueToTree(n.sourceConnectors()));
            if (secret != null) d.put("signing_secret_sha256", secret.sha256());
            audit.append(w, p.tenantId(), p.actor(), AuditAction.SUBSCRIPTION_CREATED, id, d);
            SubscriptionRepository.changed(w);
            return null;
        });
        log.info("subscription {} created for tenant {} (from seq {})", id, p.tenantId(), start);
        changed(id);
        return new Created(get(p, id), secret == null ? null : secret.secret(), secret == null ? null : secret.sha256());
    }

    /** A target must be the tenant's (else 404), usable, and inside its outbound address policy (else 400). */
    private void checkTarget(Principal p, Target t) {
        URI uri;
        if (t instanceof Target.ToConnector tc) {
            Connector c = connectors.get(p, tc.connectorId());
            if (!c.active()) throw ApiException.invalidRequest("Connector " + c.connectorId() + " is revoked; a subscription needs an active connector as its target.");
            if (c.webhookUrl() == null) {
                throw ApiException.invalidRequest("Connector " + c.connectorId() + " has no webhook_url to deliver to. Set it first (connectors update, or"
                        + " the Connectors screen), or deliver over a connection instead.");
            }
            uri = URI.create(c.webhookUrl());
        } else {
            Target.ToConnection tx = (Target.ToConnection) t;
            Connection c = connections.get(p, tx.connectionId());
            // aws_iam delivers to an API Gateway endpoint, each request signed with SigV4 (ConnectionService.send)
            if (c.kind() == ConnectionKind.AWS_IAM && c.baseUrl() == null) throw ConnectionService.noBaseUrl(c);
            if (c.baseUrl() == null) throw ApiException.invalidRequest("Connection " + c.connectionId() + " has no base_url to deliver to.");
            try {
                uri = URI.create(c.baseUrl() + tx.path());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("Field 'target.path' does not form a valid URL with the connection's base_url.");
            }
        }
        try {
            connections.checkAddress(p.tenantId(), uri);
        } catch (ConnectionFailure f) {
            if (ConnectionFailure.ADDRESS_REFUSED.equals(f.code())) {
                throw ApiException.invalidRequest("The target is outside this tenant's outbound address policy: " + f.getMessage());
            }
            // a name that does not resolve now may resolve later; every attempt checks again
        }
    }

    public List<Subscription> list(Principal p) { return repo.list(p.tenantId(), clock.instant()); }

    /** The tenant's subscription, or {@code 404 not_found} (also when it belongs to another tenant). */
    public Subscription get(Principal p, String subscriptionId) {
        if (subscriptionId == null || subscriptionId.length() > 64) throw ApiException.notFound("Subscription");
        return repo.find(p.tenantId(), subscriptionId, clock.instant())
                .orElseThrow(() -> ApiException.notFound("Subscription " + Text.sanitize(subscriptionId, 64)));
    }

    public Subscription update(Principal p, String subscriptionId, SubscriptionPatch patch) {
        Subscription before = get(p, subscriptionId);
        if (patch.setsSourceConnectors() && patch.sourceConnectors() != null) for (String id : patch.sourceConnectors()) connectors.get(p, id);
        boolean enabling = Boolean.TRUE.equals(patch.enabled()) && !before.enabled();
        if (enabling) checkTarget(p, before.target());
        boolean enabled = patch.enabled() == null ? before.enabled() : patch.enabled();
        Instant now = clock.instant();
        Subscription after = new Subscription(before.tenantId(), before.subscriptionId(), patch.name() == null ? before.name() : patch.name(),
                patch.setsEventTypes() ? patch.eventTypes() : before.eventTypes(),
                patch.setsSourceConnectors() ? patch.sourceConnectors() : before.sourceConnectors(), before.target(), enabled,
                enabled ? null : (before.enabled() ? "Disabled by " + p.actor() + "." : before.disabledReason()),
                enabled ? null : (before.enabled() ? now : before.disabledAt()), before.startSeq(), before.cursorSeq(),
                enabling ? null : before.failingSince(), before.lastSuccessAt(), before.lastFailureAt(), before.lastError(), before.deliveredTotal(),
                before.createdAt(), now, before.secretSha256(), before.previousSecretValidUntil());
        db.write(w -> {
            repo.update(w, after, now.toEpochMilli());
            ObjectNode d = Json.object();
            if (patch.name() != null) d.put("name", after.name());
            if (patch.enabled() != null) d.put("enabled", enabled);
            if (patch.setsEventTypes()) d.set("event_types", Json.MAPPER.valueToTree(after.eventTypes()));
            if (patch.setsSourceConnectors()) d.set("source_connectors", Json.MAPPER.valueToTree(after.sourceConnectors()));
            audit.append(w, p.tenantId(), p.actor(), AuditAction.SUBSCRIPTION_UPDATED, subscriptionId, d);
            SubscriptionRepository.changed(w);
            return null;
        });
        changed(subscriptionId);
        return get(p, subscriptionId);
    }

    public void delete(Principal p, String subscriptionId) {
        Subscription s = get(p, subscriptionId);
        db.write(w -> {
            repo.delete(w, s.tenantId(), s.subscriptionId());
            audit.append(w, s.tenantId(), p.actor(), AuditAction.SUBSCRIPTION_DELETED, s.subscriptionId(), Json.object().put("name", s.name()));
            SubscriptionRepository.changed(w);
            return null;
        });
        changed(subscriptionId);
    }

    /**
     * Issues a new signing secret; the previous one keeps signing for the grace ({@code graceSeconds},
     * default 24 h), so receivers can switch over; one still in an earlier grace stops at once.
     */
    public Rotated rotateSecret(Principal p, String subscriptionId, Integer graceSeconds) {
        Subscription s = get(p, subscriptionId);
        if (!(s.target() instanceof Target.ToConnector)) {
            throw ApiException.invalidRequest("Subscription " + subscriptionId + " delivers over a connection, which authenticates with its own"
                    + " credential; it has no signing secret to rotate.");
        }
        Duration grace = graceSeconds == null ? settings.defaultGrace() : Duration.ofSeconds(graceSeconds);
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ApiException.invalidRequest("Field 'grace_seconds' must be between 0 and " + MAX_GRACE.toSeconds() + ".");
        }
        Instant now = clock.instant();
        Instant until = now.plus(grace);
        SigningSecrets.Issued secret = SigningSecrets.issue(sealer, p.tenantId(), subscriptionId);
        db.write(w -> {
            repo.retireCurrent(w, p.tenantId(), subscriptionId, until.toEpochMilli(), now.toEpochMilli());
            repo.insertSecret(w, secret.secretId(), p.tenantId(), subscriptionId, secret.sha256(), secret.sealed(), now.toEpochMilli());
            audit.append(w, p.tenantId(), p.actor(), AuditAction.SUBSCRIPTION_SECRET_ROTATED, subscriptionId,
                    Json.object().put("signing_secret_sha256", secret.sha256()).put("previous_valid_until", Times.format(until)));
            SubscriptionRepository.changed(w);
            return null;
        });
        changed(subscriptionId);
        return new Rotated(get(p, subscriptionId), secret.secret(), secret.sha256(), until);
    }

    // ------------------------------------------------------------------ deliveries

    /** Events still to deliver, dead letters and lag, from the database (the same in every process). */
    public SubscriptionStats stats(Subscription s) {
        return db.read(c -> {
            SubscriptionRepository.Backlog b = repo.backlog(c, s.tenantId(), s.cursorSeq(), s.eventTypes(), s.sourceConnectors(), SubscriptionStats.BACKLOG_CAP);
            long pending = repo.countRows(c, s.subscriptionId(), SubscriptionRepository.PENDING);
            long failed = repo.countRows(c, s.subscriptionId(), SubscriptionRepository.FAILED);
            Long oldest = b.oldestReceivedAt();
            Long oldestRow = repo.oldestPending(c, s.subscriptionId());
            if (oldestRow != null) oldest = oldest == null ? oldestRow : Math.min(oldest, oldestRow);
            Duration lag = oldest == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
            return new SubscriptionStats(b.count() + pending, b.count() >= SubscriptionStats.BACKLOG_CAP, pending, failed, lag);
        });
    }

    /**
     * A page of deliveries, newest event first: rows (pending, failed, or delivered after a retry)
     * with every attempt, and first-attempt successes from the packed log. {@code status} narrows to
     * pending, delivered or failed; {@code cursor} continues a previous page.
     */
    public DeliveryPage deliveries(Principal p, String subscriptionId, String status, String cursor, Integer limit) {
        Subscription s = get(p, subscriptionId);
        if (status != null && !List.of(SubscriptionRepository.PENDING, SubscriptionRepository.DELIVERED, SubscriptionRepository.FAILED).contains(status)) {
            throw ApiException.invalidRequest("Query parameter 'status' must be pending, delivered or failed.");
        }
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) throw ApiException.invalidRequest("Query parameter 'limit' must be between 1 and " + MAX_LIMIT + ".");
        long below = Long.MAX_VALUE;
        if (cursor != null) {
            try {
                below = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiException.invalidRequest("Query parameter 'cursor' must be a next_cursor from a previous page.");
            }
        }
        long belowSeq = below;
        return db.read(c -> {
            TreeMap<Long, DeliveryView> found = new TreeMap<>(Comparator.reverseOrder());
            List<RowState> rows = repo.rowsPage(c, s.subscriptionId(), status, belowSeq, n + 1);
            List<Long> rowSeqs = rows.stream().map(RowState::seq).toList();
            Map<Long, List<DeliveryView.Attempt>> attempts = repo.attempts(c, s.subscriptionId(), rowSeqs);
            Map<Long, String> errors = repo.lastErrors(c, s.subscriptionId(), rowSeqs);
            for (RowState r : rows) {
                found.put(r.seq(), new DeliveryView(DeliveryIds.of(s.subscriptionId(), r.seq()), s.subscriptionId(), r.seq(), r.eventId(), r.connectorId(),
                        r.eventType(), Instant.ofEpochMilli(r.receivedAt()), r.status(),
                        SubscriptionRepository.PENDING.equals(r.status()) && r.nextAttemptAt() != null ? Instant.ofEpochMilli(r.nextAttemptAt()) : null,
                        errors.get(r.seq()), attempts.getOrDefault(r.seq(), List.of())));
            }
            if (status == null || status.equals(SubscriptionRepository.DELIVERED)) {
                TreeMap<Long, DeliveryLog.Item> logged = new TreeMap<>(Comparator.reverseOrder());
                repo.logRows(c, s.subscriptionId(), belowSeq, row -> {
                    if (logged.size() > n && row.lastSeq() < logged.lastKey()) return false;
                    for (DeliveryLog.Item i : DeliveryLog.unpack(row.firstSeq(), row.at(), row.data())) {
                        if (i.seq() >= belowSeq) continue;
                        DeliveryLog.Item had = logged.get(i.seq());
                        if (had == null || had.at() < i.at()) logged.put(i.seq(), i);
                        if (logged.size() > n + 1) logged.pollLastEntry();
                    }
                    return true;
                });
                Map<Long, RowState> events = repo.eventIdentities(c, s.tenantId(), logged.keySet());
                for (DeliveryLog.Item i : logged.values()) {
                    if (found.containsKey(i.seq())) continue; // its row says more
                    RowState e = events.get(i.seq());
                    found.put(i.seq(), new DeliveryView(DeliveryIds.of(s.subscriptionId(), i.seq()), s.subscriptionId(), i.seq(),
                            e == null ? null : e.eventId(), e == null ? null : e.connectorId(), e == null ? null : e.eventType(),
                            e == null ? null : Instant.ofEpochMilli(e.receivedAt()), SubscriptionRepository.DELIVERED, null, null,
                            List.of(new DeliveryView.Attempt(Instant.ofEpochMilli(i.at()), i.status(), i.latencyMs(), null, null, null))));
                }
            }
            List<DeliveryView> page = new ArrayList<>();
            String next = null;
            for (DeliveryView v : found.values()) {
                if (page.size() == n) {
                    next = Long.toString(page.get(page.size() - 1).eventSeq());
                    break;
                }
                page.add(v);
            }
            return new DeliveryPage(page, next);
        });
    }

    /** One delivery by id (tenant-scoped: another tenant's is 404). */
    public DeliveryView delivery(Principal p, String deliveryId) {
        DeliveryIds.Parsed id = DeliveryIds.parse(deliveryId);
        if (id == null) throw ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64));
        Subscription s = repo.find(p.tenantId(), id.subscriptionId(), clock.instant())
                .orElseThrow(() -> ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64)));
        DeliveryPage page = deliveries(p, s.subscriptionId(), null, Long.toString(id.eventSeq() + 1), 1);
        if (page.deliveries().isEmpty() || page.deliveries().get(0).eventSeq() != id.eventSeq()) {
            throw ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64));
        }
        return page.deliveries().get(0);
    }

    /**
     * Sends a delivery again: a failed or delivered one gets one more attempt now; one waiting for
     * its next scheduled attempt has it now. A first-attempt success (no row) can be sent again while
     * its event is kept; an event not yet attempted is {@code 409}: it goes out in order anyway.
     */
    public DeliveryView retry(Principal p, String deliveryId) {
        DeliveryIds.Parsed id = DeliveryIds.parse(deliveryId);
        if (id == null) throw ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64));
        Subscription s = repo.find(p.tenantId(), id.subscriptionId(), clock.instant())
                .orElseThrow(() -> ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64)));
        long now = clock.millis();
        db.write(w -> {
            Optional<RowState> row = repo.row(w.connection(), s.subscriptionId(), id.eventSeq());
            if (row.isPresent()) {
                boolean scheduled = SubscriptionRepository.PENDING.equals(row.get().status()) && !row.get().manual();
                repo.requeue(w, s.subscriptionId(), id.eventSeq(), !scheduled, now);
            } else {
                Map<Long, RowState> e = repo.eventIdentities(w.connection(), s.tenantId(), List.of(id.eventSeq()));
                RowState ev = e.get(id.eventSeq());
                if (ev == null || id.eventSeq() <= s.startSeq() || !s.matches(ev.eventType(), ev.connectorId())) {
                    throw ApiException.notFound("Delivery " + Text.sanitize(deliveryId, 64));
                }
                if (id.eventSeq() > s.cursorSeq()) {
                    throw ApiException.conflict("conflict", "Delivery " + deliveryId + " has not been attempted yet; it is sent in order as soon as the"
                            + " deliveries before it are through.");
                }
                repo.putRow(w, s.tenantId(), s.subscriptionId(), new RowState(ev.seq(), ev.eventId(), ev.connectorId(), ev.eventType(), ev.receivedAt(),
                        SubscriptionRepository.PENDING, 0, now, true), null, now);
            }
            audit.append(w, s.tenantId(), p.actor(), AuditAction.DELIVERY_RETRIED, deliveryId, Json.object().put("subscription_id", s.subscriptionId()));
            SubscriptionRepository.changed(w);
            return null;
        });
        changed(s.subscriptionId());
        return delivery(p, deliveryId);
    }

    /** Queues every failed delivery of events received since {@code since} again, in order, one attempt each; how many. */
    public int recover(Principal p, String subscriptionId, Instant since) {
        Subscription s = get(p, subscriptionId);
        if (since == null) throw ApiException.invalidRequest("Field 'since' is required: an ISO-8601 time such as 2026-11-22T10:00:00Z.");
        long now = clock.millis();
        int queued = db.write(w -> {
            int n = repo.recover(w, s.subscriptionId(), since.toEpochMilli(), now);
            audit.append(w, s.tenantId(), p.actor(), AuditAction.SUBSCRIPTION_RECOVERED, s.subscriptionId(),
                    Json.object().put("since", Times.format(since)).put("queued", n));
            SubscriptionRepository.changed(w);
            return n;
        });
        changed(subscriptionId);
        return queued;
    }

    // ------------------------------------------------------------------ JSON views

    public static ObjectNode targetJson(Target t) {
        if (t instanceof Target.ToConnector c) return Json.object().put("connector_id", c.connectorId());
        Target.ToConnection x = (Target.ToConnection) t;
        return Json.object().put("connection_id", x.connectionId()).put("path", x.path()).put("method", x.method());
    }

    /** The JSON of a subscription: configuration, health and (when given) its backlog; never a secret. */
    public static ObjectNode toJson(Subscription s, SubscriptionStats stats) {
        ObjectNode o = Json.object();
        o.put("subscription_id", s.subscriptionId());
        o.put("tenant_id", s.tenantId());
        o.put("name", s.name());
        if (s.eventTypes() == null) o.putNull("event_types"); else o.set("event_types", Json.MAPPER.valueToTree(s.eventTypes()));
        if (s.sourceConnectors() == null) o.putNull("source_connectors"); else o.set("source_connectors", Json.MAPPER.valueToTree(s.sourceConnectors()));
        o.set("target", targetJson(s.target()));
        o.put("enabled", s.enabled());
        o.put("health", s.health());
        putText(o, "disabled_reason", s.disabledReason());
        putTime(o, "disabled_at", s.disabledAt());
        if (s.target() instanceof Target.ToConnector) {
            putText(o, "signing_secret_sha256", s.secretSha256());
            putTime(o, "previous_secret_valid_until", s.previousSecretValidUntil());
        }
        o.put("delivered_through_seq", s.cursorSeq());
        o.put("delivered_total", s.deliveredTotal());
        putTime(o, "last_success_at", s.lastSuccessAt());
        putTime(o, "last_failure_at", s.lastFailureAt());
        putTime(o, "failing_since", s.failingSince());
        putText(o, "last_error", s.lastError());
        if (stats != null) {
            o.put("backlog", stats.backlog());
            if (stats.backlogCapped()) o.put("backlog_capped", true);
            o.put("pending", stats.pending());
            o.put("failed", stats.failed());
            o.put("lag_seconds", stats.lag().toMillis() / 1000.0);
        }
        o.put("created_at", Times.format(s.createdAt()));
        o.put("updated_at", Times.format(s.updatedAt()));
        return o;
    }

    public static ObjectNode toJson(DeliveryView v) {
        ObjectNode o = Json.object();
        o.put("delivery_id", v.deliveryId());
        o.put("subscription_id", v.subscriptionId());
        o.put("event_seq", v.eventSeq());
        putText(o, "event_id", v.eventId());
        putText(o, "connector_id", v.connectorId());
        putText(o, "event_type", v.eventType());
        putTime(o, "received_at", v.receivedAt());
        o.put("status", v.status());
        putTime(o, "next_attempt_at", v.nextAttemptAt());
        putText(o, "last_error", v.lastError());
        ArrayNode a = o.putArray("attempts");
        for (DeliveryView.Attempt x : v.attempts()) {
            ObjectNode j = a.addObject();
            j.put("at", Times.format(x.at()));
            if (x.statusCode() == null) j.putNull("status_code"); else j.put("status_code", x.statusCode());
            j.put("latency_ms", x.latencyMs());
            putText(j, "error", x.error());
            if (x.detail() != null) j.put("detail", x.detail());
            putText(j, "response_excerpt", x.responseExcerpt());
        }
        return o;
    }

    public static ObjectNode toJson(DeliveryPage page) {
        ObjectNode o = Json.object();
        ArrayNode arr = o.putArray("deliveries");
        for (DeliveryView v : page.deliveries()) arr.add(toJson(v));
        if (page.nextCursor() == null) o.putNull("next_cursor"); else o.put("next_cursor", page.nextCursor());
        return o;
    }

    private static void putText(ObjectNode o, String field, String v) {
        if (v == null) o.putNull(field); else o.put(field, v);
    }

    private static void putTime(ObjectNode o, String field, Instant t) {
        if (t == null) o.putNull(field); else o.put(field, Times.format(t));
    }
}
