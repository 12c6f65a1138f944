package com.airotech.connect.ui.settings;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.ui.ConsoleFixture;
import java.net.ServerSocket;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class SettingsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    private static void replace(FxRobot robot, String id, String text) {
        fx(() -> {
            robot.lookup(id).queryAs(TextInputControl.class).setText(text);
            return null;
        });
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) { return s.getLocalPort(); }
    }

    @Test
    void applyingSettingsRestartsTheGatewayOnTheNewPortAndSavesThem(FxRobot robot) throws Exception {
        var tenant = console.allowLoopback(console.tenant("acme"));
        int before = console.port();
        int wanted = freePort();
        robot.clickOn("#nav-settings");
        waitUntil(() -> robot.lookup("#networksArea").queryAs(TextInputControl.class).getText().contains("127.0.0.0/8"));
        replace(robot, "#httpPortField", Integer.toString(wanted));
        replace(robot, "#networksArea", "10.20.0.0/16\nfd00::/8\nbms.site.local");
        robot.clickOn("#storeAws");
        replace(robot, "#storeRegion", "eu-central-1");
        robot.clickOn("#applySettings");
        waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().startsWith("Saved."));
        assertThat(console.host.status().state()).isEqualTo(GatewayHost.State.LISTENING);
        assertThat(console.host.status().httpPort()).isEqualTo(wanted).isNotEqualTo(before);
        ConsoleSettings saved = ConsoleSettings.load(console.dataDir);
        assertThat(saved.httpPort()).isEqualTo(wanted);
        // the tenant's outbound settings: in force at once, and in the audit trail
        var outbound = console.host.platform().connections().settings(tenant.tenantId());
        assertThat(outbound.policy().rules()).containsExactly("10.20.0.0/16", "fd00::/8", "bms.site.local");
        assertThat(outbound.secretBackend()).isEqualTo("aws");
        assertThat(outbound.awsRegion()).isEqualTo("eu-central-1");
        assertThat(console.host.platform().audit().latest(tenant.tenantId(), 10)).extracting(e -> e.action())
                .contains("connection.policy_changed", "connection.secret_store_changed");
        // the gateway answers on the new port
        var r = console.post("/api/events/ingest/tn_x/cn_y", "{}".getBytes(), java.util.List.of());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void aPortInUseIsRefusedAndTheGatewayKeepsItsPreviousSettings(FxRobot robot) throws Exception {
        int before = console.port();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            robot.clickOn("#nav-settings");
            replace(robot, "#httpPortField", Integer.toString(taken.getLocalPort()));
            robot.clickOn("#applySettings");
            waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().startsWith("The new settings were not applied"));
        }
        assertThat(console.host.status().state()).isEqualTo(GatewayHost.State.LISTENING);
        assertThat(ConsoleSettings.load(console.dataDir)).isNull();
        assertThat(fx(() -> robot.lookup("#settingsResult").queryLabeled().getText())).contains("previous settings");
        assertThat(before).isPositive();
    }

    @Test
    void anInvalidValueIsExplainedWithoutRestarting(FxRobot robot) {
        var tenant = console.allowLoopback(console.tenant("acme"));
        int before = console.port();
        robot.clickOn("#nav-settings");
        waitUntil(() -> robot.lookup("#networksArea").queryAs(TextInputControl.class).getText().contains("127.0.0.0/8"));
        replace(robot, "#networksArea", "10.20.0.0/16\nnot a network!");
        robot.clickOn("#applySettings");
        waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().contains("is neither a network"));
        assertThat(console.host.status().httpPort()).isEqualTo(before);
        assertThat(console.host.platform().connections().settings(tenant.tenantId()).policy().rules()).doesNotContain("10.20.0.0/16");
    }

    @Test
    void aKafkaPropertiesFileThatDoesNotExistIsRefusedAndThePreviousSettingsKeepRunning(FxRobot robot) {
        int before = console.port();
        robot.clickOn("#nav-settings");
        replace(robot, "#kafkaPropertiesField", console.dataDir.resolve("missing-kafka.properties").toString());
        robot.clickOn("#applySettings");
        waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().startsWith("The new settings were not applied"));
        assertThat(fx(() -> robot.lookup("#settingsResult").queryLabeled().getText())).contains("does not exist");
        assertThat(console.host.status().state()).isEqualTo(GatewayHost.State.LISTENING);
        // the fixture's port 0 means a fresh free port at each start: the previous settings are what runs
        assertThat(console.host.config().kafkaProperties()).isNull();
        assertThat(before).isPositive();
        assertThat(ConsoleSettings.load(console.dataDir)).isNull();
    }

    @Test
    void retentionIsSetForTheTenantAndTheGatewayWithoutARestartAndAudited(FxRobot robot) {
        var tenant = console.tenant("acme");
        int before = console.port();
        robot.clickOn("#nav-settings");
        waitUntil(() -> robot.lookup("#maxAgeField").queryAs(TextInputControl.class).getText().equals("30")
                && robot.lookup("#floorField").queryAs(TextInputControl.class).getText().equals("10"));
        assertThat(fx(() -> robot.lookup("#auditDaysField").queryAs(TextInputControl.class).isDisabled())).isTrue();
        replace(robot, "#maxAgeField", "90");
        replace(robot, "#floorField", "15");
        fx(() -> {
            // below the fold of the page: set as the field texts are
            robot.lookup("#auditPruneCheck").queryAs(javafx.scene.control.CheckBox.class).setSelected(true);
            return null;
        });
        assertThat(fx(() -> robot.lookup("#auditDaysField").queryAs(TextInputControl.class).isDisabled())).isFalse();
        replace(robot, "#auditDaysField", "400");
        robot.clickOn("#applySettings");
        waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().startsWith("Saved."));
        assertThat(console.host.status().httpPort()).as("no restart for retention").isEqualTo(before);
        var retention = console.host.platform().retention();
        assertThat(retention.policy(tenant.tenantId()).maxAgeDays()).isEqualTo(90);
        assertThat(retention.site().minFreeDiskPercent()).isEqualTo(15);
        assertThat(retention.site().auditMaxAgeDays()).isEqualTo(400);
        assertThat(console.host.platform().audit().latest(tenant.tenantId(), 10)).filteredOn(e -> e.action().equals("retention.changed"))
                .extracting(e -> e.detail().get("setting").asText()).containsExactlyInAnyOrder("max_age_days", "min_free_disk_percent", "audit_max_age_days");

        // a value out of range is explained, and nothing is changed
        replace(robot, "#floorField", "75");
        robot.clickOn("#applySettings");
        waitUntil(() -> robot.lookup("#settingsResult").queryLabeled().getText().contains("between 0 (no floor) and 50"));
        assertThat(retention.site().minFreeDiskPercent()).isEqualTo(15);
    }
}
