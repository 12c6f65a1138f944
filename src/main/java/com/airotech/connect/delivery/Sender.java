package com.airotech.connect.delivery;

import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.OutboundRequest;
import com.airotech.connect.connection.OutboundResponse;
import com.airotech.connect.tenant.Principal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One attempt of one delivery: the Standard Webhooks headers (the delivery id as {@code webhook-id},
 * the attempt's time, one signature per signing secret in force), then the request through the
 * connection runtime: to a connector's {@code webhook_url} with no credential, or over a connection
 * with its own authentication. The tenant's outbound address policy is checked by the runtime on
 * every attempt and redirect hop. Every way an attempt can end becomes an {@link Outcome}.
 */
final class Sender {
    /** The actor that delivery's own calls are audited as (an OAuth2 refresh, a connection needing consent again). */
    static final String ACTOR = "system:delivery";
    static final String USER_AGENT = "AIROTECH-Connect-Delivery/1";

    /** Where one subscription sends, resolved: a URL (connector target) or a connection path. */
    sealed interface Resolved permits Url, Path {}

    record Url(URI uri) implements Resolved {}

    record Path(String connectionId, String path, String method) implements Resolved {}

    private final ConnectionService connections;
    private final Clock clock;
    private final Duration timeout;

    Sender(ConnectionService connections, Clock clock, Duration timeout) {
        this.connections = connections;
        this.clock = clock;
        this.timeout = timeout;
    }

    Duration timeout() { return timeout; }

    Outcome attempt(String tenantId, Resolved target, List<Secret> keys, String deliveryId, byte[] payload) {
        Instant at = clock.instant();
        long ts = at.getEpochSecond();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("User-Agent", List.of(USER_AGENT));
        headers.put(StandardWebhooks.ID, List.of(deliveryId));
        headers.put(StandardWebhooks.TIMESTAMP, List.of(Long.toString(ts)));
        String signature = SigningSecrets.signature(keys, deliveryId, ts, payload);
        if (signature != null) headers.put(StandardWebhooks.SIGNATURE, List.of(signature));
        long started = System.nanoTime();
        try {
            OutboundResponse r;
            if (target instanceof Url u) {
                r = connections.sendToUrl(tenantId, u.uri(), "POST", headers, payload, timeout);
            } else {
                Path p = (Path) target;
                r = connections.send(new Principal(tenantId, ACTOR), p.connectionId(), new OutboundRequest(p.method(), p.path(), headers, payload), timeout);
            }
            return classify(at, r, millisSince(started));
        } catch (ConnectionFailure f) {
            return failure(at, millisSince(started), errorClass(f), f.getMessage());
        } catch (ApiException e) {
            // the target itself is gone (a connection deleted meanwhile) or unusable (unreadable material, an aws_iam one without base_url)
            boolean gone = e.kind() == ApiException.Kind.NOT_FOUND;
            return new Outcome(at, false, null, millisSince(started), gone ? "target_missing" : e.code(), Redaction.redact(e.getMessage()), null, null, gone);
        } catch (RuntimeException e) {
            return failure(at, millisSince(started), "internal_error", "The attempt failed inside the gateway (" + e.getClass().getSimpleName()
                    + "); it is retried. The operator log has details.");
        }
    }

    private static long millisSince(long startNanos) { return (System.nanoTime() - startNanos) / 1_000_000; }

    static Outcome failure(Instant at, long latency, String cls, String detail) {
        return new Outcome(at, false, null, latency, cls, Redaction.redact(Text.sanitize(detail, 400)), null, null, false);
    }

    private Outcome classify(Instant at, OutboundResponse r, long latency) {
        int s = r.status();
        String excerpt = Redaction.excerpt(r.body());
        if (s >= 200 && s < 300) return new Outcome(at, true, s, latency, null, null, excerpt, null, false);
        Duration retryAfter = (s == 429 || s == 503) ? retryAfter(r.headers(), at) : null;
        String detail = s == 410 ? "The target answered 410 Gone: it no longer wants these deliveries, so the subscription is disabled."
                : "The target answered HTTP " + s + "; any 2xx counts as delivered." + (retryAfter != null ? " It asked to retry after "
                + retryAfter.toSeconds() + " s." : "");
        return new Outcome(at, false, s, latency, "http_status", detail, excerpt, retryAfter, s == 410);
    }

    /** Retry-After as seconds or an HTTP date, bounded to a day; null when absent or unreadable. */
    static Duration retryAfter(Map<String, List<String>> headers, Instant now) {
        String v = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After") && !e.getValue().isEmpty()) v = e.getValue().get(0).strip();
        }
        if (v == null || v.isEmpty() || v.length() > 64) return null;
        Duration d;
        if (v.chars().allMatch(Character::isDigit)) {
            d = v.length() > 9 ? DeliverySettings.MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (RuntimeException e) {
                return null;
            }
        }
        if (d.isNegative()) d = Duration.ZERO;
        return d.compareTo(DeliverySettings.MAX_RETRY_AFTER) > 0 ? DeliverySettings.MAX_RETRY_AFTER : d;
    }

    /** A short, stable name for how an attempt failed without an HTTP answer. */
    static String errorClass(ConnectionFailure f) {
        if (!ConnectionFailure.UNREACHABLE.equals(f.code())) return f.code();
        String m = f.getMessage() == null ? "" : f.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("did not answer within") || m.contains("timed out") || m.contains("interrupted")) return "timeout";
        if (m.contains("connection refused")) return "connection_refused";
        if (m.contains("tls") || m.contains("certificate") || m.contains("handshake")) return "tls_error";
        if (m.contains("does not resolve")) return "dns_error";
        return "unreachable";
    }
}
