package com.airotech.connect.ui.overview;

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
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.KafkaBroker;
import com.airotech.connect.ui.ConsoleFixture;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.Screen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class OverviewScreenIT {
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

    @Test
    void showsTheCaFingerprintConnectionsByHealthAndTheKafkaOutbox(FxRobot robot) throws Exception {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        var p = console.principal(t);
        console.port();
        robot.clickOn("#nav-overview");
        waitUntil(() -> robot.lookup("#overviewCaFingerprint").queryLabeled().getText()
                .equals(Formats.fingerprint(LocalCa.fingerprint(console.host.platform().ca().certificate()))));
        waitUntil(() -> robot.lookup("#kafkaState").queryLabeled().getText().equals("Off"));

        try (FakeBms bms = FakeBms.http(); KafkaBroker broker = KafkaBroker.start()) {
            bms.validBasic.add(FakeBms.basic("site", "pw-overview-test"));
            var connections = console.host.platform().connections();
            String healthy = connections.create(p, new NewConnection("bms-a", ConnectionKind.BASIC, bms.baseUrl(), null, "/health")).connection().connectionId();
            connections.putCredential(p, healthy, Json.object().put("username", "site").put("password", "pw-overview-test"));
            connections.create(p, new NewConnection("bms-b", ConnectionKind.BASIC, bms.baseUrl(), null, "/health"));

            // Kafka on: the console restarts the platform with it, as Settings does
            var restart = console.host.restart(console.host.config().withKafka(broker.bootstrap(), null));
            assertThat(restart.applied()).as(restart.message()).isTrue();
            Registration reg = console.host.platform().connectors().register(p, new RegistrationRequest("bms-north", null, AuthMethod.API_KEY, null, 60, null));
            byte[] body = Signer.event("status", null);
            assertThat(console.post("/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId(), body,
                    Signer.apiKey(reg.issued().credential().utf8())).statusCode()).isEqualTo(202);
            fx(() -> {
                console.ctx().changed();
                return null;
            });
            waitUntil(() -> robot.lookup("#connectionsHealthy").queryLabeled().getText().equals("1 / 2"));
            assertThat(fx(() -> robot.lookup("#connectionsDetail").queryLabeled().getText())).isEqualTo("1 healthy · 1 pending");
            // the relay publishes in the background; the overview reads the outbox again every 10 s
            waitUntil(() -> {
                console.ctx().changed();
                return robot.lookup("#kafkaState").queryLabeled().getText().equals("Connected")
                        && robot.lookup("#kafkaDetail").queryLabeled().getText().contains("Outbox empty");
            });
            assertThat(fx(() -> robot.lookup("#kafkaDetail").queryLabeled().getText())).startsWith(broker.bootstrap()).contains("1 published");
            console.host.restart(console.host.config().withKafka(null, null));
        }
    }

    @Test
    void showsStorageHealthRetentionAndEventsRemovedUnderTheDiskFloorInRed(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("meter-7", null, AuthMethod.API_KEY, null, 60, null));
        for (int i = 0; i < 3; i++) {
            assertThat(console.post("/api/events/ingest/" + t.tenantId() + "/" + reg.connector().connectorId(), Signer.event("meter", "m-" + i),
                    Signer.apiKey(reg.issued().credential().utf8())).statusCode()).isEqualTo(202);
        }
        robot.clickOn("#nav-overview");
        waitUntil(() -> robot.lookup("#storageState").queryLabeled().getText().equals("Healthy")
                && robot.lookup("#retentionDays").queryLabeled().getText().equals("30 days"));
        assertThat(fx(() -> robot.lookup("#storageFree").queryLabeled().getText())).matches(".+ of .+ \\(\\d+\\.\\d %\\)");
        assertThat(fx(() -> robot.lookup("#storageDatabase").queryLabeled().getText())).contains("write-ahead log");
        assertThat(fx(() -> robot.lookup("#retentionDetail").queryLabeled().getText())).contains("Oldest stored event").contains("Nothing pruned yet");
        assertThat(fx(() -> robot.lookup("#retentionForced").queryLabeled().isVisible())).isFalse();

        // a disk almost full (simulated): below the floor, shown as such, and the oldest events go
        java.util.concurrent.atomic.AtomicBoolean low = new java.util.concurrent.atomic.AtomicBoolean(true);
        console.host.platform().storageHealth().useDiskSpace(dir -> low.get()
                ? new com.airotech.connect.retention.DiskSpace.Usage(1L << 30, 100L << 30)
                : new com.airotech.connect.retention.DiskSpace.Usage(60L << 30, 100L << 30));
        fx(() -> {
            console.ctx().changed();
            return null;
        });
        waitUntil(() -> robot.lookup("#storageState").queryLabeled().getText().equals("Below the disk floor"));
        assertThat(fx(() -> robot.lookup("#storageState").queryLabeled().getStyleClass())).contains("error-text");
        assertThat(fx(() -> robot.lookup("#storageDetail").queryLabeled().getText())).contains("under the floor of 10 %");

        console.host.platform().pruner().runOnce();
        low.set(false);
        fx(() -> {
            console.ctx().changed();
            return null;
        });
        waitUntil(() -> robot.lookup("#storageState").queryLabeled().getText().equals("Healthy")
                && robot.lookup("#retentionForced").queryLabeled().getText().startsWith("2 events removed early to keep the disk floor"));
        assertThat(fx(() -> robot.lookup("#retentionForced").queryLabeled().isVisible())).isTrue();
        assertThat(fx(() -> robot.lookup("#retentionForced").queryLabeled().getStyleClass())).contains("error-text");
        // the newest event of all always stays (seqs are never handed out twice)
        assertThat(fx(() -> robot.lookup("#eventsStored").queryLabeled().getText())).isEqualTo("1");
    }
}
