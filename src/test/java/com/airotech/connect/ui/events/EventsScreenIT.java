package com.airotech.connect.ui.events;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.ingest.StoredEvent;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.ui.ConsoleFixture;
import com.airotech.connect.ui.common.LiveFeed;
import java.util.List;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class EventsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    @SuppressWarnings("unchecked")
    private TableView<StoredEvent> events(FxRobot robot) { return robot.lookup("#eventTable").queryAs(TableView.class); }

    @Test
    void anEventPostedOverHttpAppearsLiveWithItsJson(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("bms-north", null, AuthMethod.HMAC, null, 60, null));
        String path = "/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId();
        console.port();
        robot.clickOn("#nav-events");
        waitUntil(() -> robot.lookup("#eventsStatus").queryLabeled().getText().startsWith("Live"));

        byte[] body = Signer.event("door_open", "evt-live-1");
        assertThat(console.post(path, body, Signer.hmac(reg.issued().credential().utf8(), body)).statusCode()).isEqualTo(202);
        waitUntil(() -> events(robot).getItems().size() == 1);
        ConsoleFixture.clickText(robot, "evt-live-1");
        String json = fx(() -> robot.lookup("#eventDetail").queryAs(TextArea.class).getText());
        assertThat(json).contains("\"event_type\" : \"door_open\"").contains("\"value\" : 21.5").contains(reg.connector().connectorId());

        // newest first as more arrive
        body = Signer.event("door_open", "evt-live-2");
        console.post(path, body, Signer.hmac(reg.issued().credential().utf8(), body));
        waitUntil(() -> events(robot).getItems().size() == 2 && events(robot).getItems().get(0).eventId().equals("evt-live-2"));
    }

    @Test
    void rejectedRequestsAreCountedByReason(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("bms-north", null, AuthMethod.HMAC, null, 60, null));
        String path = "/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId();
        console.port();
        robot.clickOn("#nav-events");
        byte[] body = Signer.event("door_open", null);
        String wrong = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(console.post(path, body, Signer.hmac(wrong, body)).statusCode()).isEqualTo(401);
        assertThat(console.post(path, body, Signer.hmac(wrong, body)).statusCode()).isEqualTo(401);
        assertThat(console.post(path, body, Signer.apiKey("ak_nothing")).statusCode()).isEqualTo(401);
        @SuppressWarnings("unchecked")
        TableView<LiveFeed.RejectionCount> rejections = robot.lookup("#rejectionTable").queryAs(TableView.class);
        waitUntil(() -> rejections.getItems().size() == 2);
        assertThat(fx(() -> rejections.getItems().stream().map(r -> r.code() + "=" + r.count()).toList()))
                .containsExactlyInAnyOrder("signature_invalid=2", "auth_method_mismatch=1");
        assertThat(ConsoleFixture.textsOnScreen()).anyMatch(s -> s.startsWith("The signature does not match"));
    }

    @Test
    void historyFiltersByTypeAndConnector(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration a = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("north", null, AuthMethod.API_KEY, null, 60, null));
        Registration b = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("south", null, AuthMethod.API_KEY, null, 60, null));
        for (int i = 0; i < 5; i++) {
            for (Registration r : List.of(a, b)) {
                byte[] body = Signer.event(i % 2 == 0 ? "door_open" : "temp_reading", null);
                console.post("/api/events/ingest/" + t.tenantId() + "/" + r.connector().connectorId(), body,
                        Signer.apiKey(r.issued().credential().utf8()));
            }
        }
        robot.clickOn("#nav-events");
        robot.clickOn("#historyMode");
        waitUntil(() -> events(robot).getItems().size() == 10);
        robot.clickOn("#typeFilter").write("door_open");
        robot.clickOn("#applyEventFilter");
        waitUntil(() -> events(robot).getItems().size() == 6);
        assertThat(fx(() -> events(robot).getItems())).allMatch(e -> e.eventType().equals("door_open"));
        robot.clickOn("#eventConnectorFilter");
        robot.clickOn(robot.lookup((javafx.scene.control.ListCell<?> c) -> "south".equals(c.getText())).queryAs(javafx.scene.control.ListCell.class));
        robot.clickOn("#applyEventFilter");
        waitUntil(() -> events(robot).getItems().size() == 3);
        assertThat(fx(() -> events(robot).getItems())).allMatch(e -> e.connectorId().equals(b.connector().connectorId()));
    }
}
