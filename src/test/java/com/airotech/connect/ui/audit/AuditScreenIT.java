package com.airotech.connect.ui.audit;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditExport;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.ui.ConsoleFixture;
import com.airotech.connect.ui.common.Screen;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.concurrent.Task;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class AuditScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    /** 1 tenant.created + 150 registrations + 30 rotations = 181 entries. */
    private Tenant trail() {
        Tenant t = console.tenant("acme");
        Principal p = console.principal(t);
        for (int i = 0; i < 150; i++) {
            Registration r = console.host.platform().connectors().register(p,
                    new RegistrationRequest("site-" + i, null, AuthMethod.API_KEY, null, 0, null));
            if (i % 5 == 0) console.host.platform().connectors().rotate(p, r.connector().connectorId(), 0, null);
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private TableView<AuditEntry> table(FxRobot robot) { return robot.lookup("#auditTable").queryAs(TableView.class); }

    @Test
    void theTrailPagesThroughCursorsAndFiltersByActionAndText(FxRobot robot) {
        trail();
        robot.clickOn("#nav-audit");
        waitUntil(() -> table(robot).getItems().size() == AuditModel.PAGE_SIZE);
        assertThat(fx(() -> robot.lookup("#pageLabel").queryLabeled().getText())).isEqualTo("Page 1 · entries 1–100");
        robot.clickOn("#nextPage");
        waitUntil(() -> table(robot).getItems().size() == 81);
        assertThat(fx(() -> robot.lookup("#nextPage").query().isDisabled())).isTrue();
        robot.clickOn("#previousPage");
        waitUntil(() -> table(robot).getItems().size() == 100 && table(robot).getItems().get(0).action().equals("tenant.created"));

        robot.clickOn("#actionFilter").write("connector.rotated");
        robot.clickOn("#applyFilter");
        waitUntil(() -> table(robot).getItems().size() == 30);
        assertThat(fx(() -> table(robot).getItems())).allMatch(e -> e.action().equals("connector.rotated"));

        robot.clickOn("#clearFilter");
        robot.clickOn("#auditSearch").write("site-42");
        robot.clickOn("#applyFilter");
        waitUntil(() -> table(robot).getItems().size() == 1);
        assertThat(fx(() -> table(robot).getItems().get(0).detail().get("system_name").asText())).isEqualTo("site-42");
    }

    @Test
    void theChainVerificationIsShown(FxRobot robot) {
        trail();
        robot.clickOn("#nav-audit");
        waitUntil(() -> robot.lookup("#chainState").queryLabeled().getText().equals("Audit chain intact"));
        assertThat(fx(() -> robot.lookup("#chainDetail").queryLabeled().getText())).contains("181 entries");
    }

    @Test
    void exportWritesEveryMatchingEntryAsCsvAndJson(FxRobot robot) throws Exception {
        trail();
        robot.clickOn("#nav-audit");
        robot.clickOn("#actionFilter").write("connector.registered");
        robot.clickOn("#applyFilter");
        waitUntil(() -> table(robot).getItems().size() == 100);
        AuditController c = (AuditController) fx(() -> console.window.main().controller(Screen.AUDIT));
        Path dir = TestGateway.tempDir();

        Task<Long> csv = fx(() -> c.exportTo(dir.resolve("audit.csv"), AuditExport.Format.CSV));
        waitUntil(csv::isDone);
        assertThat(csv.get()).isEqualTo(150L);
        List<String> lines = Files.readAllLines(dir.resolve("audit.csv"));
        assertThat(lines).hasSize(151);
        assertThat(lines.get(0)).isEqualTo("id,at,actor,action,target,detail,tenant_id,n,at_ms,prev_hash,hash,keyed,key_fingerprint");
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.contains(",connector.registered,"));

        Task<Long> json = fx(() -> c.exportTo(dir.resolve("audit.json"), AuditExport.Format.JSON));
        waitUntil(json::isDone);
        JsonNode arr = Json.tree(Files.readAllBytes(dir.resolve("audit.json")));
        assertThat(arr.size()).isEqualTo(150);
        assertThat(arr.get(0).get("action").asText()).isEqualTo("connector.registered");
        assertThat(arr.get(149).get("detail").get("system_name").asText()).isEqualTo("site-149");
        assertThat(Files.exists(dir.resolve("audit.json.part"))).isFalse();
    }
}
