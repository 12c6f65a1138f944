package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway for delivery tests (real SQLite, Undertow on loopback), with delivery settings given
 * as the {@code -Dairotech.delivery.*} flags a site would pass (read once, when the platform opens),
 * a tenant whose outbound policy allows loopback explicitly (the default is to become deny-all), and
 * an hmac site gateway that sends events.
 */
final class DeliveryFixture implements AutoCloseable {
    final TestGateway g;
    final TestGateway.TenantHandle t;
    final JsonNode source;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

    private DeliveryFixture(TestGateway g, String tenant, Clock clock) {
        this.g = g;
        this.clock = clock;
        this.t = g.tenant(tenant);
        allowLoopback(t);
        this.source = g.register(t, "hmac", null);
    }

    /** A gateway with these delivery settings (e.g. "schedule" → "0s,1s"), on this clock. */
    static DeliveryFixture start(Clock clock, Map<String, String> settings) {
        Map<String, String> before = new HashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) before.put(e.getKey(), System.setProperty("airotech.delivery." + e.getKey(), e.getValue()));
        try {
            java.nio.file.Path dir = TestGateway.tempDir().resolve("data");
            return new DeliveryFixture(TestGateway.start(Config.defaults(dir).withPorts(0, -1).withClock(clock)), "acme", clock);
        } finally {
            for (String k : settings.keySet()) {
                String old = before.get(k);
                if (old == null) System.clearProperty("airotech.delivery." + k); else System.setProperty("airotech.delivery." + k, old);
            }
        }
    }

    static DeliveryFixture start() { return start(Clock.systemUTC(), Map.of()); }

    void allowLoopback(TestGateway.TenantHandle tenant) {
        g.platform.connections().changePolicy(tenant.principal(), List.of("127.0.0.1/32"), null, false);
    }

    /** Another site gateway of the tenant, sending hmac. */
    JsonNode newSource(String name) {
        return g.register(t, "hmac", null);
    }

    /** A connector whose webhook_url is {@code url}: a delivery target. */
    String targetConnector(String url) {
        return g.register(t, "api_key", "\"webhook_url\":\"" + url + "\"").get("connector_id").asText();
    }

    /** Creates a subscription over HTTP; the 201 answer. */
    JsonNode subscribe(String json) {
        TestGateway.Response r = g.postJson(t.token(), "/api/subscriptions", json);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json();
    }

    JsonNode subscribeTo(String connectorId) {
        return subscribe("{\"name\":\"to-" + connectorId + "\",\"target\":{\"connector_id\":\"" + connectorId + "\"}}");
    }

    /** Sends one event from {@code from} (an hmac connector's registration answer); asserts it was stored. */
    void send(JsonNode from, String type, String eventId) {
        byte[] body = Signer.event(type, eventId);
        // signed at the gateway's time (a manual clock may be hours ahead)
        TestGateway.Response r = g.ingest(from.get("webhook_path").asText(), body,
                Signer.hmac(from.get("credential").asText(), body, "msg_" + ids.incrementAndGet() + "_" + System.nanoTime(), clock.instant().getEpochSecond()));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    void send(String eventId) { send(source, "door_open", eventId); }

    JsonNode subscription(String id) { return g.get(t.token(), "/api/subscriptions/" + id).json(); }

    JsonNode deliveries(String id, String query) {
        TestGateway.Response r = g.get(t.token(), "/api/subscriptions/" + id + "/deliveries" + (query == null ? "" : "?" + query));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.json().get("deliveries");
    }

    /** The delivery of the event with this event_id, from the listing. */
    JsonNode delivery(String subscriptionId, String eventId) {
        for (JsonNode d : deliveries(subscriptionId, "limit=500")) if (eventId.equals(d.path("event_id").asText())) return d;
        return null;
    }

    static JsonNode body(String text) { return Json.tree(text); }

    @Override
    public void close() { g.close(); }
}
