package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.Main;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code airotech-connect subscriptions …} as an operator types it at the site server, beside a
 * running gateway on the same data directory: what the command line changes, the gateway follows
 * within a second.
 */
class SubscriptionsCliIT {
    record Run(int code, String out, String err) {
        JsonNode json() { return Json.tree(out.strip()); }
    }

    static synchronized Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void anOperatorCreatesRunsPausesRetriesAndRecoversSubscriptionsFromTheCommandLine() {
        try (DeliveryFixture f = DeliveryFixture.start(java.time.Clock.systemUTC(), Map.of("schedule", "0s")); WebhookReceiver rx = new WebhookReceiver()) {
            String d = f.g.dataDir.toString();
            String tenant = f.t.tenantId();
            AtomicBoolean up = new AtomicBoolean(true);
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(up.get() ? 200 : 500);
            String target = f.targetConnector(rx.url("/hooks"));

            Run created = run("subscriptions", "create", "--tenant", tenant, "--name", "to-receiver", "--connector", target, "--event-type", "door_open",
                    "--data-dir", d);
            assertThat(created.code()).as(created.err()).isZero();
            String subId = created.json().get("subscription_id").asText();
            String secret = created.json().get("signing_secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(created.json().get("event_types").get(0).asText()).isEqualTo("door_open");
            Await.until("the gateway to pick it up", () -> f.g.platform.dispatcher().running().contains(subId), Duration.ofSeconds(5));
            f.send("e0");
            f.send(f.source, "temp_reading", "not-for-this-subscription");
            Await.until("e0 delivered", () -> rx.deliveredBodies().size() == 1, Duration.ofSeconds(10));

            Run listed = run("subscriptions", "list", "--tenant", tenant, "--data-dir", d);
            assertThat(listed.code()).isZero();
            assertThat(listed.json()).hasSize(1);
            assertThat(listed.json().get(0).get("health").asText()).isEqualTo("healthy");
            assertThat(listed.out()).doesNotContain(secret.substring(6));

            Run disabled = run("subscriptions", "disable", "--tenant", tenant, subId, "--data-dir", d);
            assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
            Await.until("the gateway to stop it", () -> !f.g.platform.dispatcher().running().contains(subId), Duration.ofSeconds(5));
            f.send("e1");
            assertThat(run("subscriptions", "enable", "--tenant", tenant, subId, "--data-dir", d).json().get("enabled").asBoolean()).isTrue();
            Await.until("e1, sent while it was disabled, once enabled", () -> rx.deliveredBodies().size() == 2, Duration.ofSeconds(10));

            up.set(false);
            Instant before = Instant.now().minusSeconds(1);
            f.send("e2");
            f.send("e3");
            Await.until("two dead letters", () -> run("subscriptions", "deliveries", "--tenant", tenant, subId, "--status", "failed", "--data-dir", d)
                    .json().get("deliveries").size() == 2, Duration.ofSeconds(10));
            up.set(true);
            JsonNode failed = run("subscriptions", "deliveries", "--tenant", tenant, subId, "--status", "failed", "--data-dir", d).json().get("deliveries");
            String e3 = failed.get(0).get("delivery_id").asText();
            assertThat(failed.get(0).get("attempts").get(0).get("status_code").asInt()).isEqualTo(500);
            Run retried = run("subscriptions", "retry", "--tenant", tenant, e3, "--data-dir", d);
            assertThat(retried.code()).as(retried.err()).isZero();
            Await.until("e3 delivered on the retry", () -> rx.deliveredBodies().size() == 3, Duration.ofSeconds(10));
            Run recovered = run("subscriptions", "recover", "--tenant", tenant, subId, "--since", before.toString(), "--data-dir", d);
            assertThat(recovered.json().get("queued").asInt()).isEqualTo(1);
            Await.until("e2 delivered", () -> rx.deliveredBodies().size() == 4, Duration.ofSeconds(10));
            List<String> ids = new ArrayList<>();
            for (String b : rx.deliveredBodies()) ids.add(Json.tree(b).get("event_id").asText());
            assertThat(ids).containsExactly("e0", "e1", "e3", "e2");

            Run rotated = run("subscriptions", "rotate-secret", "--tenant", tenant, subId, "--grace-seconds", "60", "--data-dir", d);
            assertThat(rotated.json().get("signing_secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
            Run shown = run("subscriptions", "show", "--tenant", tenant, subId, "--data-dir", d);
            assertThat(shown.json().get("previous_secret_valid_until").isNull()).isFalse();
            assertThat(shown.out()).doesNotContain(rotated.json().get("signing_secret").asText().substring(6));

            Run unknown = run("subscriptions", "show", "--tenant", tenant, "sb_nope", "--data-dir", d);
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).contains("not found");
            Run bad = run("subscriptions", "create", "--tenant", tenant, "--name", "x", "--connection", "cx_1", "--data-dir", d);
            assertThat(bad.code()).as("--connection needs --path").isEqualTo(2);

            assertThat(run("subscriptions", "delete", "--tenant", tenant, subId, "--data-dir", d).json().get("deleted").asBoolean()).isTrue();
            assertThat(run("subscriptions", "list", "--tenant", tenant, "--data-dir", d).json()).isEmpty();
        }
    }
}
