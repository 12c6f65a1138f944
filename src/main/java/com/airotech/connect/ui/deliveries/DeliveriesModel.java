package com.airotech.connect.ui.deliveries;

import com.airotech.connect.app.Platform;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.delivery.DeliveryPage;
import com.airotech.connect.delivery.DeliveryView;
import com.airotech.connect.delivery.Subscription;
import com.airotech.connect.delivery.SubscriptionStats;
import com.airotech.connect.delivery.Target;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.Formats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Deliveries screen shows, read off the FX thread: each subscription with its backlog and
 * lag and a readable target, and a subscription's deliveries. Texts for people are made here so the
 * controller only binds them.
 */
public final class DeliveriesModel {
    /** A subscription as a row: the subscription, its stats, and its target in words. */
    record Row(Subscription subscription, SubscriptionStats stats, String target) {
        String id() { return subscription.subscriptionId(); }
    }

    private DeliveriesModel() {}

    static List<Row> load(Platform platform, Principal p) {
        Map<String, String> names = targetNames(platform, p);
        List<Row> out = new ArrayList<>();
        for (Subscription s : platform.subscriptions().list(p)) {
            out.add(new Row(s, platform.subscriptions().stats(s), describe(s.target(), names)));
        }
        return out;
    }

    static DeliveryPage deliveries(Platform platform, Principal p, String subscriptionId, String status) {
        return platform.subscriptions().deliveries(p, subscriptionId, status, null, 200);
    }

    private static Map<String, String> targetNames(Platform platform, Principal p) {
        Map<String, String> names = new HashMap<>();
        for (Connector c : platform.connectors().list(p)) names.put(c.connectorId(), c.systemName() + (c.webhookUrl() == null ? "" : " — " + c.webhookUrl()));
        for (Connection c : platform.connections().list(p)) names.put(c.connectionId(), c.name() + (c.baseUrl() == null ? "" : " — " + c.baseUrl()));
        return names;
    }

    static String describe(Target t, Map<String, String> names) {
        if (t instanceof Target.ToConnector c) return names.getOrDefault(c.connectorId(), c.connectorId());
        Target.ToConnection x = (Target.ToConnection) t;
        String base = names.getOrDefault(x.connectionId(), x.connectionId());
        return base + x.path() + (x.method().equals("POST") ? "" : " (" + x.method() + ")");
    }

    static String health(Subscription s) {
        return switch (s.health()) {
            case "healthy" -> "Healthy";
            case "failing" -> "Failing";
            default -> "Disabled";
        };
    }

    static String lag(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return d.isZero() ? "—" : "< 1 s";
        if (s < 120) return s + " s";
        if (s < 7200) return s / 60 + " min";
        if (s < 172_800) return s / 3600 + " h";
        return s / 86_400 + " d";
    }

    static String backlog(SubscriptionStats st) {
        return st.backlog() + (st.backlogCapped() ? "+" : "");
    }

    static String status(DeliveryView v) {
        return switch (v.status()) {
            case "delivered" -> "Delivered";
            case "failed" -> "Dead letter";
            default -> v.attempts().isEmpty() ? "Waiting" : "Retrying";
        };
    }

    static Instant lastAttempt(DeliveryView v) {
        return v.attempts().isEmpty() ? null : v.attempts().get(v.attempts().size() - 1).at();
    }

    /** One attempt in words: "HTTP 503 · 12 ms" or "timeout · 15000 ms". */
    static String outcome(DeliveryView.Attempt a) {
        String what = a.statusCode() != null ? "HTTP " + a.statusCode() : a.error() == null ? "no answer" : a.error().replace('_', ' ');
        return what + " · " + a.latencyMs() + " ms";
    }

    /** The banner: subscriptions delivery disabled (why, and what to do), then failing ones; null when all is well. */
    static String banner(List<Row> rows) {
        List<Subscription> disabled = rows.stream().map(Row::subscription).filter(s -> s.health().equals("disabled") && s.disabledReason() != null
                && !s.disabledReason().startsWith("Disabled by ")).toList();
        List<Subscription> failing = rows.stream().map(Row::subscription).filter(s -> s.health().equals("failing")).toList();
        if (disabled.isEmpty() && failing.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        if (!disabled.isEmpty()) {
            Subscription first = disabled.get(0);
            b.append(first.name()).append(disabled.size() > 1 ? " and " + Formats.count(disabled.size() - 1, "other", "others") + " were" : " was")
                    .append(" disabled: ").append(first.disabledReason()).append(" Fix the target, then select it and choose Enable: delivery goes on from where it stopped.");
        }
        if (!failing.isEmpty()) {
            if (b.length() > 0) b.append(' ');
            Subscription first = failing.get(0);
            b.append(first.name()).append(failing.size() > 1 ? " and " + Formats.count(failing.size() - 1, "other", "others") + " are" : " is")
                    .append(" failing: deliveries wait for their retries; after 5 days of failure delivery disables the subscription.");
        }
        return b.toString();
    }
}
