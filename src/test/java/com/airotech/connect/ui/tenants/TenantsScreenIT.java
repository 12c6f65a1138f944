package com.airotech.connect.ui.tenants;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.ConsoleFixture;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class TenantsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void creatingATenantShowsItsAdminTokenOnceAndMakesItActive(FxRobot robot) {
        console.port();
        robot.clickOn("#nav-tenants");
        robot.clickOn("#tenantName").write("acme-north");
        robot.clickOn("#createTenant");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isPresent()
                && !robot.lookup("#secretField").queryAs(TextField.class).getText().isEmpty());
        String token = fx(() -> robot.lookup("#secretField").queryAs(TextField.class).getText());
        assertThat(fx(() -> robot.lookup("#shaField").queryAs(TextField.class).getText())).isEqualTo(Crypto.sha256Hex(token));

        // the token shown is the tenant's real admin token
        Principal p = console.host.platform().tenants().authenticate(token);
        assertThat(console.host.platform().tenants().require(p.tenantId()).name()).isEqualTo("acme-north");
        assertThat(p.actor()).isEqualTo("admin@acme-north");

        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isEmpty());
        assertThat(ConsoleFixture.textsOnScreen()).noneMatch(s -> s.contains(token));
        assertThat(fx(() -> console.ctx().activeTenant().get().name())).isEqualTo("acme-north");
    }

    @Test
    void aRefusedNameIsExplainedBesideTheForm(FxRobot robot) {
        console.port();
        robot.clickOn("#nav-tenants");
        robot.clickOn("#tenantName").write("-bad name!");
        robot.clickOn("#createTenant");
        waitUntil(() -> robot.lookup("#createTenantError").queryLabeled().getText().startsWith("A tenant name is"));
        assertThat(console.host.platform().tenants().list()).isEmpty();
    }

    @Test
    void choosingAnotherTenantMakesItActiveAndIsRemembered(FxRobot robot) {
        console.tenant("first");
        console.host.platform().tenants().create("second", null, "test");
        robot.clickOn("#nav-tenants");
        ConsoleFixture.clickText(robot, "second");
        robot.clickOn("#useTenant");
        waitUntil(() -> console.ctx().activeTenant().get().name().equals("second"));
        String id = fx(() -> console.ctx().activeTenant().get().tenantId());
        waitUntil(() -> {
            var saved = com.airotech.connect.app.ConsoleSettings.load(console.dataDir);
            return saved != null && id.equals(saved.activeTenantId());
        });
    }

    @Test
    void theOperatorRotatesATenantsAdminTokenShownOnceAndDisablesAndEnablesTheTenant(FxRobot robot) {
        var created = console.host.platform().tenants().create("acme", "ops@acme", "test");
        String old = created.adminToken().utf8();
        waitUntil(() -> console.ctx().tenantsSeen());
        robot.clickOn("#nav-tenants");
        fx(() -> { console.ctx().reloadTenants(); return null; });
        waitUntil(() -> fx(() -> robot.lookup("#tenantTable").queryTableView().getItems().size()) == 1);
        selectFirstTenant(robot);
        robot.clickOn("#rotateAdminToken");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isPresent()
                && !robot.lookup("#secretField").queryAs(TextField.class).getText().isEmpty());
        String fresh = fx(() -> robot.lookup("#secretField").queryAs(TextField.class).getText());
        assertThat(fresh).startsWith("atk_").isNotEqualTo(old);
        assertThat(console.host.platform().tenants().authenticate(fresh).actor()).isEqualTo("ops@acme");
        assertThat(console.host.platform().tenants().authenticate(old).tenantId()).as("the previous token in its grace").isEqualTo(created.tenant().tenantId());
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");
        waitUntil(() -> robot.lookup("#secretField").tryQuery().isEmpty());

        selectFirstTenant(robot);
        robot.clickOn("#disableTenant");
        robot.clickOn("#confirm-disableTenant");
        waitUntil(() -> console.host.platform().tenants().require(created.tenant().tenantId()).disabled());
        waitUntil(() -> ConsoleFixture.textsOnScreen().stream().anyMatch(t -> t.endsWith("disabled")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> console.host.platform().tenants().authenticate(fresh))
                .hasMessageContaining("disabled");
        waitUntil(() -> fx(() -> robot.lookup("#disableTenant").queryButton().getText()).equals("Enable"));
        robot.clickOn("#disableTenant");
        waitUntil(() -> !console.host.platform().tenants().require(created.tenant().tenantId()).disabled());
        assertThat(console.host.platform().tenants().authenticate(fresh).tenantId()).isEqualTo(created.tenant().tenantId());
    }

    /** Selects the table's only tenant, as a click on its row does (the tenant's name also appears in the chooser at the top). */
    private static void selectFirstTenant(FxRobot robot) {
        fx(() -> {
            robot.lookup("#tenantTable").queryTableView().getSelectionModel().select(0);
            return null;
        });
    }
}
