package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.NodeReceiver;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Targets that fail: the retry schedule, Retry-After, timeouts, a target down for minutes, 410 Gone,
 * dead letters with retry and recover, and failures that must not hold anyone else up. Waits that
 * the schedule measures in minutes and hours run on a manual clock, so the tests take seconds.
 */
class RetryDeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aReceiverThatFailsThreeTimesGetsTheSameDeliveryOnTheFourthAttemptOnSchedule() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of()); NodeReceiver rx = NodeReceiver.start()) {
            JsonNode sub = f.subscribeTo(f.targetConnector(rx.url("/hooks")));
            String subId = sub.get("subscription_id").asText();
            rx.clock(clock);
            rx.secrets(sub.get("signing_secret").asText());
            rx.control(Json.object().set("statuses", Json.MAPPER.valueToTree(List.of(500, 500, 503))));
            f.send("e0");
            f.send("e1");
            Await.until("the first attempt", () -> rx.seen.size() == 1, WAIT);
            Instant firstAt = clock.instant();
            advance(clock, rx, Duration.ofSeconds(7));
            Await.until("the attempt 5 s later", () -> rx.seen.size() == 2, WAIT);
            advance(clock, rx, Duration.ofMinutes(7));
            Await.until("the attempt 5 min later", () -> rx.seen.size() == 3, WAIT);
            Await.until("its outcome stored", () -> attempts(f, subId, "e0") == 3, WAIT);
            JsonNode waiting = f.delivery(subId, "e0");
            assertThat(waiting.get("status").asText()).isEqualTo("pending");
            Instant next = Instant.parse(waiting.get("next_attempt_at").asText());
            assertThat(Duration.between(clock.instant(), next)).as("the fourth attempt is 30 min (± jitter) after the third")
                    .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
            assertThat(f.subscription(subId).get("health").asText()).isEqualTo("failing");
            advance(clock, rx, Duration.ofMinutes(37));
            Await.until("e0 on its fourth attempt, then e1", () -> rx.accepted().size() == 2, WAIT, () -> rx.seen.toString());
            Await.until("its outcome stored", () -> attempts(f, subId, "e0") == 4, WAIT);

            List<String> ids = rx.seen.stream().map(r -> r.get("id").asText()).toList();
            assertThat(ids.subList(0, 4)).as("one delivery id on every attempt").containsOnly(ids.get(0));
            assertThat(rx.seen.stream().map(r -> r.get("status").asInt()).toList()).containsExactly(500, 500, 503, 200, 200);
            assertThat(rx.seen.stream().map(r -> Json.tree(r.get("body").asText()).get("event_id").asText()).toList())
                    .as("e1 waits behind e0: one source connector's events in order").containsExactly("e0", "e0", "e0", "e0", "e1");
            assertThat(rx.seen.subList(0, 4).stream().map(r -> r.get("timestamp").asLong()).distinct()).as("each attempt signed at its own time").hasSize(4);
            assertThat(rx.seen).allSatisfy(r -> assertThat(r.get("verified").asBoolean()).isTrue());

            JsonNode e0 = f.delivery(subId, "e0");
            assertThat(e0.get("delivery_id").asText()).isEqualTo(ids.get(0));
            assertThat(e0.get("status").asText()).isEqualTo("delivered");
            assertThat(e0.get("attempts")).hasSize(4);
            assertThat(e0.get("attempts").get(0).get("status_code").asInt()).isEqualTo(500);
            assertThat(e0.get("attempts").get(0).get("error").asText()).isEqualTo("http_status");
            assertThat(e0.get("attempts").get(0).get("response_excerpt").asText()).contains("\"status\":500");
            assertThat(Instant.parse(e0.get("attempts").get(0).get("at").asText())).isEqualTo(firstAt);
            assertThat(e0.get("attempts").get(3).get("status_code").asInt()).isEqualTo(200);
            assertThat(e0.get("attempts").get(3).get("error").isNull()).isTrue();
            Await.until("healthy again", () -> f.subscription(subId).get("health").asText().equals("healthy"), WAIT);

            String metrics = f.g.send(java.net.http.HttpRequest.newBuilder(f.g.uri("/metrics")).build()).raw();
            assertThat(metrics).contains("airotech_delivery_attempts_total{subscription=\"" + subId + "\"} 5.0")
                    .contains("airotech_delivery_failures_total{subscription=\"" + subId + "\"} 3.0")
                    .contains("airotech_delivery_deliveries_total{subscription=\"" + subId + "\"} 2.0")
                    .contains("airotech_delivery_lag_seconds{subscription=\"" + subId + "\"}")
                    .doesNotContain(f.t.tenantId());
        }
    }

    @Test
    void retryAfterFromA503DecidesWhenTheNextAttemptIs() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of()); WebhookReceiver rx = new WebhookReceiver()) {
            rx.behaviour = (n, body) -> n == 0 ? new WebhookReceiver.Answer(503, 0, "busy", List.of("Retry-After", "120")) : WebhookReceiver.Answer.status(204);
            String subId = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            f.send("e0");
            Await.until("the first attempt's row", () -> f.delivery(subId, "e0") != null && f.delivery(subId, "e0").get("attempts").size() == 1, WAIT);
            JsonNode d = f.delivery(subId, "e0");
            Instant at = Instant.parse(d.get("attempts").get(0).get("at").asText());
            assertThat(Instant.parse(d.get("next_attempt_at").asText())).as("Retry-After: 120, not the schedule's 5 s").isEqualTo(at.plusSeconds(120));
            clock.advance(Duration.ofSeconds(121));
            Await.until("the attempt after Retry-After", () -> rx.received.size() == 2, WAIT);
            Await.until("delivered", () -> f.delivery(subId, "e0").get("status").asText().equals("delivered"), WAIT);
        }
    }

    @Test
    void aTargetThatHangsPastTheTimeoutIsCutOffAndTriedAgain() {
        try (DeliveryFixture f = DeliveryFixture.start(java.time.Clock.systemUTC(), Map.of("timeout", "1s", "schedule", "0s,1s,1s"));
             NodeReceiver rx = NodeReceiver.start()) {
            JsonNode sub = f.subscribeTo(f.targetConnector(rx.url("/slow")));
            String subId = sub.get("subscription_id").asText();
            rx.secrets(sub.get("signing_secret").asText());
            rx.control(Json.object().put("hold_ms", 4000));
            f.send("e0");
            Await.until("the first attempt to arrive", () -> rx.seen.size() == 1, WAIT);
            rx.control(Json.object().put("hold_ms", 0));
            Await.until("delivered on the second attempt", () -> {
                JsonNode d = f.delivery(subId, "e0");
                return d != null && d.get("status").asText().equals("delivered");
            }, WAIT);
            JsonNode d = f.delivery(subId, "e0");
            JsonNode first = d.get("attempts").get(0);
            assertThat(first.get("error").asText()).isEqualTo("timeout");
            assertThat(first.get("status_code").isNull()).isTrue();
            assertThat(first.get("latency_ms").asLong()).isBetween(900L, 3000L);
            assertThat(first.get("detail").asText()).contains("did not answer within 1 s");
            assertThat(d.get("attempts").get(1).get("status_code").asInt()).isEqualTo(200);
            assertThat(rx.seen.get(0).get("id").asText()).isEqualTo(rx.seen.get(1).get("id").asText());
        }
    }

    @Test
    void aTargetThatStallsInTheMiddleOfItsAnswerIsCutOffAndTriedAgain() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DeliveryFixture f = DeliveryFixture.start(java.time.Clock.systemUTC(), Map.of("timeout", "1s", "schedule", "0s,1s"))) {
            AtomicBoolean stalled = new AtomicBoolean();
            List<Socket> held = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        held.add(s);
                        InputStream in = s.getInputStream();
                        readRequest(in);
                        OutputStream out = s.getOutputStream();
                        if (stalled.compareAndSet(false, true)) {
                            // the headers promise a body that never comes
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.flush();
                    }
                } catch (Exception e) {
                    // the server socket closed: the test is over
                }
            }, "stalling-target");
            t.setDaemon(true);
            t.start();
            String subId = f.subscribeTo(f.targetConnector("http://127.0.0.1:" + server.getLocalPort() + "/stall")).get("subscription_id").asText();
            f.send("e0");
            Await.until("delivered after the stalled answer was abandoned", () -> {
                JsonNode d = f.delivery(subId, "e0");
                return d != null && d.get("status").asText().equals("delivered");
            }, WAIT);
            JsonNode first = f.delivery(subId, "e0").get("attempts").get(0);
            assertThat(first.get("error").asText()).isEqualTo("timeout");
            // the client's read timeout (1 s) cuts a stalled body off; the attempt's deadline (timeout + 2 s) bounds a drip
            assertThat(first.get("latency_ms").asLong()).as("cut off by the read timeout, within the attempt's deadline").isBetween(900L, 3500L);
            for (Socket s : held) s.close();
        }
    }

    private static void readRequest(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) return;
            head.append((char) c);
        }
        int len = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) len = Integer.parseInt(line.substring(15).trim());
        }
        in.readNBytes(len);
    }

    @Test
    void aTargetDownForMinutesGetsEveryEventInOrderWhenItIsBack() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of())) {
            NodeReceiver first = NodeReceiver.start();
            int port = first.port();
            JsonNode sub = f.subscribeTo(f.targetConnector(first.url("/hooks")));
            String subId = sub.get("subscription_id").asText();
            first.close(); // down
            for (int i = 0; i < 5; i++) f.send("e" + i);
            Await.until("a refused first attempt", () -> attempts(f, subId, "e0") == 1, WAIT);
            assertThat(f.delivery(subId, "e0").get("attempts").get(0).get("error").asText()).isEqualTo("connection_refused");
            clock.advance(Duration.ofSeconds(7));
            Await.until("the second attempt", () -> attempts(f, subId, "e0") == 2, WAIT);
            clock.advance(Duration.ofMinutes(7));
            Await.until("the third attempt", () -> attempts(f, subId, "e0") == 3, WAIT);
            JsonNode failing = f.subscription(subId);
            assertThat(failing.get("health").asText()).isEqualTo("failing");
            assertThat(failing.get("backlog").asLong()).isEqualTo(5);
            assertThat(failing.get("lag_seconds").asDouble()).isGreaterThan(7 * 60);
            try (NodeReceiver back = NodeReceiver.start(port)) {
                back.secrets(sub.get("signing_secret").asText());
                advance(clock, back, Duration.ofMinutes(37));
                Await.until("all five, once it is back", () -> back.accepted().size() == 5, WAIT, () -> back.seen.toString());
                assertThat(back.accepted().stream().map(r -> Json.tree(r.get("body").asText()).get("event_id").asText()).toList())
                        .containsExactly("e0", "e1", "e2", "e3", "e4");
                Await.until("e0's fourth attempt recorded", () -> attempts(f, subId, "e0") == 4, WAIT);
                JsonNode e0 = f.delivery(subId, "e0");
                assertThat(back.accepted().get(0).get("id").asText()).isEqualTo(e0.get("delivery_id").asText());
                Await.until("caught up", () -> f.subscription(subId).get("backlog").asLong() == 0, WAIT);
                assertThat(f.subscription(subId).get("health").asText()).isEqualTo("healthy");
            }
        }
    }

    private static int attempts(DeliveryFixture f, String subId, String eventId) {
        JsonNode d = f.delivery(subId, eventId);
        return d == null ? 0 : d.get("attempts").size();
    }

    @Test
    void a410GoneDisablesTheSubscriptionAtOnceAndAuditsIt() {
        try (DeliveryFixture f = DeliveryFixture.start(); WebhookReceiver rx = new WebhookReceiver()) {
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(n == 0 ? 410 : 200);
            String subId = f.subscribeTo(f.targetConnector(rx.url("/gone"))).get("subscription_id").asText();
            f.send("e0");
            Await.until("disabled", () -> !f.subscription(subId).get("enabled").asBoolean(), WAIT);
            JsonNode s = f.subscription(subId);
            assertThat(s.get("health").asText()).isEqualTo("disabled");
            assertThat(s.get("disabled_reason").asText()).contains("410");
            JsonNode audit = f.g.get(f.t.token(), "/api/audit?action=subscription.disabled").json().get("entries");
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).get("actor").asText()).isEqualTo("system:delivery");
            assertThat(audit.get(0).get("target").asText()).isEqualTo(subId);
            f.send("e1");
            assertThat(f.g.platform.dispatcher().running()).doesNotContain(subId);

            TestGateway.Response enabled = f.g.send(f.g.admin(f.t.token(), "/api/subscriptions/" + subId).header("Content-Type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")).build());
            assertThat(enabled.status()).as(enabled.raw()).isEqualTo(200);
            assertThat(enabled.json().get("disabled_reason").isNull()).isTrue();
            Await.until("e0 and e1 after it was enabled again", () -> rx.deliveredBodies().size() == 2, WAIT);
            assertThat(rx.deliveredBodies().stream().map(b -> Json.tree(b).get("event_id").asText()).toList()).containsExactly("e0", "e1");
        }
    }

    @Test
    void deadLettersCanBeRetriedOneByOneOrRecoveredInOrder() {
        try (DeliveryFixture f = DeliveryFixture.start(java.time.Clock.systemUTC(), Map.of("schedule", "0s,300ms"));
             WebhookReceiver rx = new WebhookReceiver()) {
            AtomicBoolean up = new AtomicBoolean();
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(up.get() ? 200 : 500);
            String subId = f.subscribeTo(f.targetConnector(rx.url("/x"))).get("subscription_id").asText();
            Instant before = Instant.now();
            for (int i = 0; i < 3; i++) f.send("e" + i);
            Await.until("three dead letters", () -> f.deliveries(subId, "status=failed").size() == 3, WAIT);
            assertThat(f.subscription(subId).get("failed").asLong()).isEqualTo(3);
            assertThat(f.delivery(subId, "e0").get("attempts")).hasSize(2);
            up.set(true);

            String e0 = f.delivery(subId, "e0").get("delivery_id").asText();
            TestGateway.Response retried = f.g.postJson(f.t.token(), "/api/deliveries/" + e0 + "/retry", "");
            assertThat(retried.status()).as(retried.raw()).isEqualTo(202);
            Await.until("e0 delivered on the retry", () -> f.delivery(subId, "e0").get("status").asText().equals("delivered"), WAIT);
            assertThat(f.delivery(subId, "e0").get("attempts")).hasSize(3);

            TestGateway.Response recovered = f.g.postJson(f.t.token(), "/api/subscriptions/" + subId + "/recover",
                    "{\"since\":\"" + before.minusSeconds(1) + "\"}");
            assertThat(recovered.status()).as(recovered.raw()).isEqualTo(202);
            assertThat(recovered.json().get("queued").asInt()).isEqualTo(2);
            Await.until("e1 and e2 delivered", () -> f.deliveries(subId, "status=failed").isEmpty()
                    && f.delivery(subId, "e2").get("status").asText().equals("delivered"), WAIT);
            List<String> delivered = rx.deliveredBodies().stream().map(b -> Json.tree(b).get("event_id").asText()).toList();
            assertThat(delivered).containsExactly("e0", "e1", "e2");
            assertThat(f.g.get(f.t.token(), "/api/audit?action=subscription.recovered").json().get("entries")).hasSize(1);
            assertThat(f.g.get(f.t.token(), "/api/audit?action=delivery.retried").json().get("entries")).hasSize(1);
        }
    }

    @Test
    void aDeliveryWaitingForItsRetryHoldsOnlyItsOwnSourceConnectorAndIsSetAsideWhenTheWindowFills() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of("windowEvents", "16")); WebhookReceiver rx = new WebhookReceiver()) {
            JsonNode other = f.newSource("other");
            String stuck = f.source.get("connector_id").asText();
            AtomicBoolean fixed = new AtomicBoolean();
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(!fixed.get() && new String(body, StandardCharsets.UTF_8).contains(stuck) ? 500 : 200);
            String subId = f.subscribeTo(f.targetConnector(rx.url("/in"))).get("subscription_id").asText();
            for (int i = 0; i < 40; i++) {
                f.send(f.source, "door_open", "s" + i);
                f.send(other, "door_open", "o" + i);
            }
            Await.until("every event of the other connector", () -> count(rx, "\"o") == 40, WAIT, () -> "" + rx.received.size());
            assertThat(count(rx, "\"s")).as("the held connector: one attempt, its retry 5 s away").isEqualTo(1);
            assertThat(f.deliveries(subId, "status=pending").size()).as("set aside as rows so the cursor could move").isGreaterThan(1);
            fixed.set(true);
            clock.advance(Duration.ofSeconds(7));
            Await.until("the held connector's events", () -> rx.deliveredBodies().size() == 80, WAIT);
            List<String> s = rx.deliveredBodies().stream().map(b -> Json.tree(b).get("event_id").asText()).filter(x -> x.startsWith("s")).toList();
            assertThat(s).containsExactly(SignedDeliveryIT.range("s", 40));
            Await.until("caught up", () -> f.subscription(subId).get("backlog").asLong() == 0, WAIT);
        }
    }

    private static long count(WebhookReceiver rx, String eventIdPrefix) {
        return rx.received.stream().filter(r -> r.text().contains("\"event_id\":" + eventIdPrefix)).count();
    }

    @Test
    void aHangingTargetCostsAnotherSubscriptionNothing() {
        try (DeliveryFixture f = DeliveryFixture.start(); WebhookReceiver slow = new WebhookReceiver(); WebhookReceiver fast = new WebhookReceiver()) {
            slow.behaviour = (n, body) -> new WebhookReceiver.Answer(200, 60_000, "", List.of());
            f.subscribeTo(f.targetConnector(slow.url("/slow")));
            f.subscribeTo(f.targetConnector(fast.url("/fast")));
            for (int i = 0; i < 50; i++) f.send("e" + i);
            Await.until("the fast target to have all 50", () -> fast.deliveredBodies().size() == 50, WAIT);
            assertThat(slow.received).as("the hanging target holds one attempt of its one lane").hasSize(1);
        }
    }

    /** Moves the receiver's clock first, so no attempt signed at the new time can reach it while it still has the old one. */
    private static void advance(ManualClock clock, NodeReceiver rx, Duration d) {
        rx.control(Json.object().put("now_ms", clock.millis() + d.toMillis()));
        clock.advance(d);
    }
}
