package com.airotech.connect.ui.deliveries;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.delivery.Subscription;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.WebhookReceiver;
import com.airotech.connect.ui.ConsoleFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Deliveries screen on a real platform: a subscription made in two clicks whose show-once
 * dialog's receiver example, run for real with the Standard Webhooks library, accepts the deliveries;
 * dead letters retried and recovered from the screen; a subscription disabled by 410 shown in red
 * with what to do, and enabled again.
 */
@ExtendWith(ApplicationExtension.class)
public class DeliveriesScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) {
        // one attempt per delivery, so dead letters come at once
        System.setProperty("airotech.delivery.schedule", "0s");
        console = new ConsoleFixture(stage);
    }

    @AfterEach
    void close() {
        console.close();
        System.clearProperty("airotech.delivery.schedule");
    }

    private static String text(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).query() instanceof TextInputControl t ? t.getText() : ((Labeled) robot.lookup(id).query()).getText());
    }

    private record Site(Principal principal, String tenantId, Registration source) {}

    private Site site(String webhookUrl) {
        Tenant t = console.tenant("acme");
        Principal p = console.principal(t);
        console.host.platform().connections().changePolicy(p, List.of("127.0.0.1/32"), null, false);
        Registration source = console.host.platform().connectors().register(p, new RegistrationRequest("site-north", null, AuthMethod.HMAC, null, 60,
                new CredentialOptions(null, null)));
        console.host.platform().connectors().register(p, new RegistrationRequest("receiver", webhookUrl, AuthMethod.API_KEY, null, 60,
                new CredentialOptions(null, null)));
        return new Site(p, t.tenantId(), source);
    }

    private void send(Site s, String eventId) throws Exception {
        byte[] body = Signer.event("door_open", eventId);
        var r = console.post("/api/events/ingest/" + s.tenantId() + "/" + s.source().connector().connectorId(), body,
                Signer.hmac(s.source().issued().credential().utf8(), body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    @Test
    void aSubscriptionMadeInTwoClicksDeliversToTheReceiverItsDialogShows(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Site site = site("http://127.0.0.1:" + port + "/hooks");
        console.port();
        robot.clickOn("#nav-deliveries");
        robot.clickOn("#newSubscription");
        waitUntil(() -> text(robot, "#subscriptionName").equals("to receiver"));
        robot.clickOn("#createSubscription");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isPresent() && text(robot, "#secretField").startsWith("whsec_"));
        String secret = text(robot, "#secretField");
        String example = text(robot, "#exampleArea");
        assertThat(text(robot, "#exampleTitle")).contains("receiver");
        assertThat(example).contains("standardwebhooks").contains(secret).contains("PORT=" + port);

        // the example as an operator would run it (the library is installed already: no npm install here)
        Path lib = Path.of(System.getProperty("airotech.corpora", "target/corpora"), "standardwebhooks", "node_modules").toAbsolutePath();
        Path dir = com.airotech.connect.testing.TestGateway.tempDir();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", example.replace("npm install standardwebhooks\n", "")).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("NODE_PATH", lib.toString());
        Process receiver = pb.start();
        List<String> printed = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) printed.add(line);
            } catch (Exception e) {
                // the receiver ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            robot.clickOn("#storedCheck");
            robot.clickOn("#doneButton");
            assertThat(ConsoleFixture.textsOnScreen()).noneMatch(s -> s.contains(secret));
            waitUntil(() -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            send(site, "e0");
            send(site, "e1");
            waitUntil(() -> printed.stream().anyMatch(l -> l.startsWith("door_open e1")));
            assertThat(printed).containsExactly("door_open e0 {\"value\":21.5}", "door_open e1 {\"value\":21.5}");

            waitUntil(() -> robot.lookup("#subscriptionTable").queryAs(TableView.class).getItems().size() == 1);
            waitUntil(() -> ConsoleFixture.textsOnScreen().contains("Healthy"));
            waitUntil(() -> robot.lookup("#deliveryTable").queryAs(TableView.class).getItems().size() == 2);
            assertThat(ConsoleFixture.textsOnScreen()).contains("to receiver", "Delivered");
        } finally {
            receiver.destroy();
        }
    }

    @Test
    void deadLettersAreRetriedAndRecoveredFromTheScreenAndADisabledSubscriptionIsShownInRed(FxRobot robot) throws Exception {
        try (WebhookReceiver rx = new WebhookReceiver()) {
            AtomicInteger answer = new AtomicInteger(500);
            rx.behaviour = (n, body) -> WebhookReceiver.Answer.status(answer.get());
            Site site = site(rx.url("/hooks"));
            console.port();
            String target = console.host.platform().connectors().list(site.principal()).stream().filter(c -> c.webhookUrl() != null).findFirst()
                    .orElseThrow().connectorId();
            Subscription sub = console.host.platform().subscriptions().create(site.principal(), com.airotech.connect.delivery.NewSubscription.fromJson(
                    (com.fasterxml.jackson.databind.node.ObjectNode) com.airotech.connect.common.Json.tree("{\"name\":\"to-erp\",\"target\":{\"connector_id\":\""
                            + target + "\"}}"))).subscription();
            send(site, "e0");
            send(site, "e1");
            waitUntil(() -> console.host.platform().subscriptions().deliveries(site.principal(), sub.subscriptionId(), "failed", null, 10)
                    .deliveries().size() == 2);
            robot.clickOn("#nav-deliveries");
            waitUntil(() -> ConsoleFixture.textsOnScreen().contains("to-erp"));
            robot.clickOn("#filterFailed");
            waitUntil(() -> robot.lookup("#deliveryTable").queryAs(TableView.class).getItems().size() == 2);
            ConsoleFixture.clickText(robot, "e0");
            waitUntil(() -> ConsoleFixture.textsOnScreen().contains("HTTP 500 · " + latency(site, sub, "e0") + " ms"));
            assertThat(ConsoleFixture.textsOnScreen()).contains("Dead letter");

            answer.set(200);
            waitUntil(() -> fx(() -> !robot.lookup("#retryDelivery").queryButton().isDisabled()));
            robot.clickOn("#retryDelivery");
            // two steps, so a failure says which: the click reached the service (the row left the dead letters), then the runner sent it
            com.airotech.connect.testing.Await.until("the retried delivery of e0 leaves the dead letters",
                    () -> failed(site, sub).stream().noneMatch("e0"::equals), java.time.Duration.ofSeconds(15), () -> "failed: " + failed(site, sub));
            com.airotech.connect.testing.Await.until("the retried delivery of e0 reaches the receiver", () -> rx.deliveredBodies().size() == 1,
                    java.time.Duration.ofSeconds(15), () -> "deliveries: " + console.host.platform().subscriptions()
                            .deliveries(site.principal(), sub.subscriptionId(), null, null, 10).deliveries());
            fx(() -> {
                robot.lookup("#recoverSince").queryAs(javafx.scene.control.ChoiceBox.class).setValue("the last hour");
                return null;
            });
            robot.clickOn("#recover");
            waitUntil(() -> rx.deliveredBodies().size() == 2);
            waitUntil(() -> robot.lookup("#deliveryTable").queryAs(TableView.class).getItems().isEmpty());

            answer.set(410);
            send(site, "e2");
            waitUntil(() -> !console.host.platform().subscriptions().get(site.principal(), sub.subscriptionId()).enabled());
            waitUntil(() -> text(robot, "#deliveryBanner").contains("was disabled"));
            assertThat(text(robot, "#deliveryBanner")).startsWith("to-erp was disabled: ").contains("410").contains("choose Enable");
            waitUntil(() -> ConsoleFixture.textsOnScreen().contains("Disabled"));
            boolean red = fx(() -> robot.lookup((javafx.scene.control.TableCell<?, ?> c) -> "Disabled".equals(c.getText())).queryAs(javafx.scene.Node.class)
                    .getStyleClass().contains("cell-error"));
            assertThat(red).as("a disabled subscription is shown in red").isTrue();

            answer.set(200);
            ConsoleFixture.clickText(robot, "to-erp");
            robot.clickOn("#enableSubscription");
            waitUntil(() -> rx.deliveredBodies().size() == 3);
            waitUntil(() -> !robot.lookup("#deliveryBanner").queryAs(Labeled.class).isVisible());
        }
    }

    private List<String> failed(Site site, Subscription sub) {
        return console.host.platform().subscriptions().deliveries(site.principal(), sub.subscriptionId(), "failed", null, 10).deliveries().stream()
                .map(d -> d.eventId()).toList();
    }

    private long latency(Site site, Subscription sub, String eventId) {
        return console.host.platform().subscriptions().deliveries(site.principal(), sub.subscriptionId(), "failed", null, 10).deliveries().stream()
                .filter(d -> eventId.equals(d.eventId())).findFirst().orElseThrow().attempts().get(0).latencyMs();
    }
}
