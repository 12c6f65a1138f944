package com.airotech.connect.ui;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Signer;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class OverviewScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void showsTheGatewayAddressConnectorsEventsAndLatestAudit(FxRobot robot) throws Exception {
        int port = console.port();
        // a first start (no tenant yet) opens on the Tenants screen
        waitUntil(() -> console.ctx().screen().get() == Screen.TENANTS);
        robot.clickOn("#nav-overview");
        waitUntil(() -> robot.lookup("#httpUrl").queryLabeled().getText().equals("http://127.0.0.1:" + port));
        assertThat(fx(() -> robot.lookup("#httpsUrl").queryLabeled().getText())).isEqualTo("off");

        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("bms-north", null, AuthMethod.API_KEY, null, 60, null));
        byte[] body = Signer.event("status", null);
        console.post("/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId(), body,
                Signer.apiKey(reg.issued().credential().utf8()));
        robot.clickOn("#nav-tenants");
        robot.clickOn("#nav-overview");
        waitUntil(() -> robot.lookup("#connectorsActive").queryLabeled().getText().equals("1")
                && robot.lookup("#eventsStored").queryLabeled().getText().equals("1"));
        assertThat(fx(() -> robot.lookup("#chainState").queryLabeled().getText())).isEqualTo("Intact");
        waitUntil(() -> robot.lookup("#rateNow").queryLabeled().getText().contains("1 accepted since the console opened"));
        TableView<?> audit = robot.lookup("#latestAudit").queryAs(TableView.class);
        assertThat(fx(() -> audit.getItems().size())).isEqualTo(2);
    }
}
