package com.airotech.connect.ui;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Signer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class ConnectorsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    private List<String> sign(AuthMethod m, String connectorId, String credential, byte[] body) {
        return switch (m) {
            case HMAC -> Signer.hmac(credential, body);
            case API_KEY -> Signer.apiKey(credential);
            case BASIC -> Signer.basic(connectorId, credential);
            default -> throw new IllegalArgumentException(m.wire());
        };
    }

    @Test
    void registeringEachMethodShowsItsWorkingCredentialOnceAndThenNowhere(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        robot.clickOn("#nav-connectors");
        for (MethodGuide g : MethodGuide.available(console.host.platform().connectors().supportedMethods())) {
            robot.clickOn("#registerConnector");
            robot.clickOn("#method-" + g.method().wire());
            robot.clickOn("#systemName").write("site-" + g.method().wire().replace('_', '-'));
            robot.clickOn("#registerButton");
            waitUntil(() -> robot.lookup("#secretField").tryQuery().isPresent()
                    && !robot.lookup("#secretField").queryAs(TextField.class).getText().isEmpty());

            String credential = fx(() -> robot.lookup("#secretField").queryAs(TextField.class).getText());
            String sha = fx(() -> robot.lookup("#shaField").queryAs(TextField.class).getText());
            String example = fx(() -> robot.lookup("#exampleArea").queryAs(TextArea.class).getText());
            assertThat(sha).isEqualTo(Crypto.sha256Hex(credential));
            assertThat(example).contains(credential).contains("curl");
            if (g.method() == AuthMethod.HMAC) assertThat(credential).startsWith("whsec_");
            if (g.method() == AuthMethod.HMAC) assertThat(example).contains("openssl");

            // the dialog cannot be dismissed with "Done" before the operator confirms storing it
            assertThat(fx(() -> robot.lookup("#doneButton").query().isDisabled())).isTrue();
            robot.clickOn("#storedCheck");
            robot.clickOn("#doneButton");
            waitUntil(() -> robot.lookup("#secretField").tryQuery().isEmpty());
            assertThat(ConsoleFixture.textsOnScreen()).noneMatch(s -> s.contains(credential));

            // the credential shown was the real one: the gateway accepts an event sent with it
            Connector c = console.host.platform().connectors().list(console.principal(t)).stream()
                    .filter(x -> x.systemName().equals("site-" + g.method().wire().replace('_', '-'))).findFirst().orElseThrow();
            byte[] body = Signer.event("status", null);
            HttpResponse<String> r = console.post("/api/events/ingest/" + t.tenantId() + "/" + c.connectorId(), body,
                    sign(g.method(), c.connectorId(), credential, body));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        assertThat(MethodGuide.available(console.host.platform().connectors().supportedMethods()))
                .extracting(MethodGuide::method).contains(AuthMethod.HMAC, AuthMethod.API_KEY, AuthMethod.BASIC);
        waitUntil(() -> robot.lookup("#connectorTable").queryAs(TableView.class).getItems().size() == 3);
    }

    @Test
    void rotationCountsDownTheGraceAndCountsRequestsWithThePreviousCredential(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("bms-north", null, AuthMethod.HMAC, null, 60, null));
        String old = reg.issued().credential().utf8();
        String path = "/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId();
        console.port();
        robot.clickOn("#nav-connectors");
        ConsoleFixture.clickText(robot, "bms-north");
        robot.clickOn("#rotateConnector");
        robot.clickOn("#rotateButton");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isPresent()
                && !robot.lookup("#secretField").queryAs(TextField.class).getText().isEmpty());
        String fresh = fx(() -> robot.lookup("#secretField").queryAs(TextField.class).getText());
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");

        Label countdown = robot.lookup("#graceCountdown").queryAs(Label.class);
        waitUntil(() -> countdown.isVisible() && countdown.getText().matches(".*in (1:00|0:59|0:58)$"));
        console.clock.advance(Duration.ofSeconds(30));
        waitUntil(() -> countdown.getText().matches(".*in (0:30|0:29|0:28)$"));

        byte[] body = Signer.event("status", null);
        assertThat(console.post(path, body, Signer.hmac(old, body)).statusCode()).isEqualTo(202);
        body = Signer.event("status", null);
        assertThat(console.post(path, body, Signer.hmac(fresh, body)).statusCode()).isEqualTo(202);
        Label uses = robot.lookup("#graceUses").queryAs(Label.class);
        waitUntil(() -> uses.getText().startsWith("1 request still arrived with the previous credential"));

        // once the grace ends the old credential is refused and the countdown is gone
        console.clock.advance(Duration.ofSeconds(31));
        waitUntil(() -> !robot.lookup("#graceBox").query().isVisible());
        body = Signer.event("status", null);
        HttpResponse<String> r = console.post(path, body, Signer.hmac(old, body));
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void revokingAsksFirstAndThenTheCredentialStopsWorking(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("door-panel", null, AuthMethod.API_KEY, null, 60, null));
        console.port();
        robot.clickOn("#nav-connectors");
        ConsoleFixture.clickText(robot, "door-panel");
        robot.clickOn("#revokeConnector");
        robot.clickOn("Cancel");
        assertThat(console.host.platform().connectors().get(console.principal(t), reg.connector().connectorId()).active()).isTrue();

        robot.clickOn("#revokeConnector");
        robot.clickOn("#confirmRevoke");
        waitUntil(() -> !console.host.platform().connectors().get(console.principal(t), reg.connector().connectorId()).active());
        byte[] body = Signer.event("status", null);
        HttpResponse<String> r = console.post("/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId(), body,
                Signer.apiKey(reg.issued().credential().utf8()));
        assertThat(r.statusCode()).isEqualTo(401);
        // revoked connectors leave the list unless asked for
        waitUntil(() -> robot.lookup("#connectorTable").queryAs(TableView.class).getItems().isEmpty());
    }
}
