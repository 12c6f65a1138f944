package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.GatewayProcess;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway as a separate process, killed with SIGKILL while it delivers a stream from
 * two site gateways, and restarted: every acknowledged event reaches the receiver at least once,
 * every re-sent delivery carries the webhook-id it had before, and each source connector's events
 * first arrive in the order they were sent.
 */
class DeliveryCrashIT {
    private static final int KILLS = 3;

    record Source(String connectorId, String webhookPath, String whsec) {}

    @Test
    void killingTheGatewayDuringDeliveryLosesNothingAndResendsWithTheSameWebhookId() throws Exception {
        Path data = TestGateway.tempDir().resolve("data");
        Path logs = data.resolveSibling("logs");
        try (WebhookReceiver rx = new WebhookReceiver()) {
            List<Source> sources = setUp(data, rx.url("/hooks"));
            Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
            int[] next = new int[sources.size()];
            for (int round = 0; round <= KILLS; round++) {
                try (GatewayProcess gw = GatewayProcess.serve(data, logs, 30_000)) {
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> senders = new ArrayList<>();
                    for (int s = 0; s < sources.size(); s++) {
                        int k = s;
                        Thread t = new Thread(() -> {
                            while (!stop.get() && next[k] < (k + 1) * 100_000) {
                                String id = "c" + k + "-" + next[k];
                                if (post(http, gw, sources.get(k), id)) {
                                    acknowledged.computeIfAbsent("c" + k, x -> java.util.Collections.synchronizedList(new ArrayList<>())).add(id);
                                    next[k]++;
                                } else {
                                    return; // the gateway is gone; the id is sent again (same event_id) in the next round
                                }
                            }
                        }, "sender-" + s);
                        t.start();
                        senders.add(t);
                    }
                    if (round < KILLS) {
                        int seen = rx.received.size();
                        int more = 100 + ThreadLocalRandom.current().nextInt(150);
                        Await.until("deliveries under way", () -> rx.received.size() >= seen + more, Duration.ofSeconds(30));
                        gw.kill9();
                        stop.set(true);
                        for (Thread t : senders) t.join(10_000);
                    } else {
                        Await.until("more events", () -> acknowledged.values().stream().mapToInt(List::size).sum() >= 250 * (KILLS + 1), Duration.ofSeconds(30));
                        stop.set(true);
                        for (Thread t : senders) t.join(10_000);
                        Set<String> wanted = new java.util.HashSet<>();
                        acknowledged.values().forEach(wanted::addAll);
                        Await.until("every acknowledged event delivered", () -> delivered(rx).keySet().containsAll(wanted), Duration.ofSeconds(60),
                                () -> "missing " + wanted.stream().filter(w -> !delivered(rx).containsKey(w)).limit(10).toList());
                        assertThat(gw.terminate()).isZero();
                    }
                }
            }

            Map<String, Set<String>> ids = delivered(rx);
            long total = acknowledged.values().stream().mapToInt(List::size).sum();
            assertThat(ids.keySet()).as("every acknowledged event was delivered").containsAll(acknowledged.values().stream().flatMap(List::stream).toList());
            assertThat(ids.values()).as("a re-sent delivery carries the webhook-id it had").allSatisfy(s -> assertThat(s).hasSize(1));
            for (Map.Entry<String, List<String>> e : acknowledged.entrySet()) {
                List<String> firstArrivals = new ArrayList<>(new LinkedHashSet<>(rx.deliveredBodies().stream()
                        .map(b -> Json.tree(b).get("event_id").asText()).filter(x -> x.startsWith(e.getKey() + "-")).toList()));
                assertThat(firstArrivals).as("connector %s in order", e.getKey()).containsExactlyElementsOf(e.getValue());
            }
            long duplicates = rx.deliveredBodies().size() - ids.size();
            System.out.printf("delivery crash test: %d events acknowledged over %d kills, %d deliveries, %d sent again after a kill%n",
                    total, KILLS, rx.deliveredBodies().size(), duplicates);
        }
    }

    /** event_id → the webhook-ids it was delivered with. */
    private static Map<String, Set<String>> delivered(WebhookReceiver rx) {
        Map<String, Set<String>> out = new HashMap<>();
        for (WebhookReceiver.Received r : rx.received) {
            if (r.answered() != 200) continue;
            out.computeIfAbsent(Json.tree(r.body()).get("event_id").asText(), k -> new java.util.HashSet<>()).add(r.webhookId());
        }
        return out;
    }

    private static boolean post(HttpClient http, GatewayProcess gw, Source s, String eventId) {
        byte[] body = Signer.event("door_open", eventId);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(s.webhookPath()))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        List<String> h = Signer.hmac(s.whsec(), body);
        for (int i = 0; i < h.size(); i += 2) b.header(h.get(i), h.get(i + 1));
        try {
            int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 202 || status == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<Source> setUp(Path data, String url) {
        try (Platform p = Platform.open(Config.defaults(data))) {
            String tid = p.tenants().create("acme", "ops@acme", "test").tenant().tenantId();
            Principal me = Principal.local(tid);
            p.connections().changePolicy(me, List.of("127.0.0.1/32"), null, false);
            List<Source> out = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Registration r = p.connectors().register(me, new RegistrationRequest("site-" + i, null, AuthMethod.HMAC, null, 60, new CredentialOptions(null, null)));
                out.add(new Source(r.connector().connectorId(), "/api/events/ingest/" + tid + "/" + r.connector().connectorId(), r.issued().credential().utf8()));
            }
            Registration target = p.connectors().register(me, new RegistrationRequest("receiver", url, AuthMethod.API_KEY, null, 60, new CredentialOptions(null, null)));
            JsonNode body = Json.tree("{\"name\":\"to-receiver\",\"target\":{\"connector_id\":\"" + target.connector().connectorId() + "\"}}");
            p.subscriptions().create(me, NewSubscription.fromJson((com.fasterxml.jackson.databind.node.ObjectNode) body));
            return out;
        }
    }
}
