package com.airotech.connect.ui;

import static com.airotech.connect.ui.ConsoleFixture.fx;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.FakeAws;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.FakeOAuthServer;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Screen;
import com.airotech.connect.ui.connectors.ConnectorsModel;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Renders every console screen, with demo data, to PNG for the README (docs/screens/). Not a test
 * of behaviour: run it with {@code installer/screenshots.sh} (Xvfb and the real GTK window), or
 * headless with {@code mvn -Pscreenshots test}.
 */
public class ScreenTour {
    private final Path out = Path.of(System.getProperty("screens.dir", "target/screens"));
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void renderEveryScreen() throws Exception {
        Files.createDirectories(out);
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // the toolkit is up already
        }
        Platform.setImplicitExit(false);
        FakeAws aws = new FakeAws();
        aws.useThroughSystemProperties("arn:aws:iam::" + FakeAws.PLATFORM_ACCOUNT + ":role/airotech-connect-platform");
        FakeBms bmsServer = FakeBms.http();
        FakeOAuthServer vendor = new FakeOAuthServer();
        Path dir = TestGateway.tempDir().resolve("demo");
        Config config = Config.defaults(dir).withPorts(0, 0);
        GatewayHost host = new GatewayHost(config);
        ConsoleWindow w = fx(() -> ConsoleWindow.open(new Stage(), host, ConsoleSettings.from(config)));
        ConsoleContext ctx = w.context();
        ConsoleFixture.waitUntil(() -> host.status().state() == GatewayHost.State.LISTENING);
        int port = host.status().httpPort();

        shoot(w, Screen.TENANTS, "01-tenants-empty");

        CreatedTenant acme = host.platform().tenants().create("acme-north", "ops@acme-north", Principal.localActor());
        host.platform().tenants().create("acme-south", "ops@acme-south", Principal.localActor());
        Principal p = Principal.local(acme.tenant().tenantId());
        Registration bms = host.platform().connectors().register(p, new RegistrationRequest("bms-north", "https://bms-north.example/hooks",
                AuthMethod.HMAC, List.of("door_open", "temp_reading"), 60, null));
        Registration doors = host.platform().connectors().register(p, new RegistrationRequest("door-panel-3", null, AuthMethod.API_KEY, null, 60, null));
        Registration hvac = host.platform().connectors().register(p, new RegistrationRequest("hvac-legacy", null, AuthMethod.BASIC, null, 60, null));
        Registration chiller = host.platform().connectors().register(p, new RegistrationRequest("chiller-2", null, AuthMethod.HMAC, null, 600, null));
        Registration old = host.platform().connectors().register(p, new RegistrationRequest("old-sensor", null, AuthMethod.API_KEY, null, 60, null));
        host.platform().connectors().register(p, new RegistrationRequest("plant-7-gateway", null, AuthMethod.MTLS, null, 60, null));
        host.platform().connectors().register(p, new RegistrationRequest("door-controller-2", null, AuthMethod.MTLS, null, 60,
                new com.airotech.connect.connector.CredentialOptions(null, null, 21)));
        host.platform().connectors().register(p, new RegistrationRequest("roof-weather", null, AuthMethod.RSA, null, 60, null));
        host.platform().connectors().register(p, new RegistrationRequest("energy-meter", null, AuthMethod.OAUTH2, null, 60, null));
        connections(host, p, aws, bmsServer, vendor);
        host.platform().connectors().revoke(p, old.connector().connectorId());
        fx(() -> {
            ctx.reloadTenants();
            return null;
        });
        ConsoleFixture.waitUntil(() -> ctx.activeTenant().get() != null);
        fx(() -> {
            ctx.activeTenant().set(ctx.tenants().stream().filter(t -> t.name().equals("acme-north")).findFirst().orElseThrow());
            return null;
        });

        // traffic for the chart and the tables: signed events, and some refused ones
        String tn = acme.tenant().tenantId();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        int i = 0;
        while (System.nanoTime() < until) {
            i++;
            byte[] body = Signer.event(i % 3 == 0 ? "temp_reading" : "door_open", "evt-" + i);
            post(port, tn, bms, body, Signer.hmac(bms.issued().credential().utf8(), body));
            if (i % 2 == 0) post(port, tn, doors, body, Signer.apiKey(doors.issued().credential().utf8()));
            if (i % 5 == 0) post(port, tn, hvac, body, Signer.basic(hvac.connector().connectorId(), hvac.issued().credential().utf8()));
            if (i % 9 == 0) post(port, tn, bms, body, Signer.hmac("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), body));
            if (i % 23 == 0) post(port, tn, chiller, body, Signer.apiKey("ak_wrong"));
            pause(30);
        }
        var rot = host.platform().connectors().rotate(p, chiller.connector().connectorId(), 600, null);
        for (int k = 0; k < 3; k++) {
            byte[] body = Signer.event("status", null);
            post(port, tn, chiller, body, Signer.hmac(chiller.issued().credential().utf8(), body));
        }
        rot.issued().credential().destroy();
        fx(() -> {
            ctx.changed();
            return null;
        });

        shoot(w, Screen.OVERVIEW, "02-overview");
        shoot(w, Screen.TENANTS, "03-tenants");

        fx(() -> {
            ctx.screen().set(Screen.CONNECTORS);
            return null;
        });
        settle(1500);
        fx(() -> {
            @SuppressWarnings("unchecked") TableView<ConnectorsModel.Row> t = (TableView<ConnectorsModel.Row>) w.stage().getScene().lookup("#connectorTable");
            t.getItems().stream().filter(r -> r.connector().systemName().equals("chiller-2")).findFirst().ifPresent(r -> t.getSelectionModel().select(r));
            return null;
        });
        settle(1200);
        save(snapshot(w.stage().getScene()), "04-connectors-rotation");

        // the register wizard, then the show-once dialog it leads to
        fx(() -> {
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#registerConnector")).fire();
            return null;
        });
        settle(800);
        Stage wizard = dialog(w);
        fx(() -> {
            ((TextField) wizard.getScene().lookup("#systemName")).setText("boiler-room");
            ((TextField) wizard.getScene().lookup("#eventTypes")).setText("temp_reading, pressure");
            return null;
        });
        settle(300);
        save(composite(w, wizard), "05-register-wizard");
        fx(() -> {
            ((javafx.scene.control.Button) wizard.getScene().lookup("#registerButton")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> dialog(w) != null && dialog(w).getScene().lookup("#secretField") != null);
        Stage once = dialog(w);
        fx(() -> {
            ((CheckBox) once.getScene().lookup("#storedCheck")).setSelected(true);
            return null;
        });
        settle(300);
        save(composite(w, once), "06-show-once");
        fx(() -> {
            once.close();
            return null;
        });

        fx(() -> {
            ctx.screen().set(Screen.EVENTS);
            return null;
        });
        settle(2000);
        fx(() -> {
            TableView<?> t = (TableView<?>) w.stage().getScene().lookup("#eventTable");
            t.getSelectionModel().select(0);
            return null;
        });
        settle(500);
        save(snapshot(w.stage().getScene()), "07-events");
        shoot(w, Screen.AUDIT, "08-audit");
        shoot(w, Screen.SETTINGS, "09-settings");

        // backups: one just written while the gateway runs
        Path backupFile = TestGateway.tempDir().resolve("airotech-backup-2026-12-04.zip");
        fx(() -> {
            w.context().screen().set(Screen.BACKUPS);
            return null;
        });
        settle(500);
        fx(() -> {
            ((javafx.scene.control.TextField) w.stage().getScene().lookup("#backupFile")).setText(backupFile.toString());
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#backupNow")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> fx(() -> ((javafx.scene.control.Label) w.stage().getScene().lookup("#backupStatus")).getText().startsWith("Backed up")));
        shoot(w, Screen.BACKUPS, "17-backups");

        // site gateways: one certificate expires within 30 days
        shoot(w, Screen.SITE_GATEWAYS, "10-site-gateways");
        fx(() -> {
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#issueCertificate")).fire();
            return null;
        });
        settle(600);
        Stage issue = dialog(w);
        fx(() -> {
            ((TextField) issue.getScene().lookup("#siteName")).setText("plant-8-gateway");
            ((javafx.scene.control.RadioButton) issue.getScene().lookup("#modeCsr")).setSelected(true);
            ((javafx.scene.control.TextArea) issue.getScene().lookup("#csrPem")).setText(TlsClients.csr(com.airotech.connect.pki.LocalCa.newKeyPair(), "plant-8"));
            issue.sizeToScene();
            return null;
        });
        settle(400);
        save(composite(w, issue), "11-sign-csr");
        fx(() -> {
            ((javafx.scene.control.Button) issue.getScene().lookup("#issueButton")).fire();
            return null;
        });
        settle(300);
        fx(() -> {
            issue.close();
            return null;
        });
        ConsoleFixture.waitUntil(() -> dialog(w) != null && dialog(w).getScene().lookup("#publicArea") != null);
        Stage signed = dialog(w);
        fx(() -> {
            signed.close();
            return null;
        });

        // the mtls show-once: the bundle to save, its password
        fx(() -> {
            ctx.screen().set(Screen.CONNECTORS);
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#registerConnector")).fire();
            return null;
        });
        settle(800);
        Stage wiz = dialog(w);
        fx(() -> {
            ((javafx.scene.control.RadioButton) wiz.getScene().lookup("#method-mtls")).setSelected(true);
            ((TextField) wiz.getScene().lookup("#systemName")).setText("chiller-plant-gateway");
            ((javafx.scene.control.Button) wiz.getScene().lookup("#registerButton")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> dialog(w) != null && dialog(w).getScene().lookup("#saveBundle") != null);
        Stage bundle = dialog(w);
        settle(400);
        save(composite(w, bundle), "12-show-once-mtls");
        fx(() -> {
            bundle.close();
            return null;
        });

        shoot(w, Screen.CONNECTIONS, "13-connections");
        fx(() -> {
            @SuppressWarnings("unchecked") TableView<com.airotech.connect.connection.Connection> t =
                    (TableView<com.airotech.connect.connection.Connection>) w.stage().getScene().lookup("#connectionTable");
            t.getItems().stream().filter(c -> c.name().equals("energy-saas")).findFirst().ifPresent(c -> t.getSelectionModel().select(c));
            return null;
        });
        settle(600);
        save(snapshot(w.stage().getScene()), "14-connections-reauth");

        // the AWS handshake, tested against the loopback STS
        fx(() -> {
            w.stage().getScene().lookup("#connectionTable").getScene();
            ((TableView<?>) w.stage().getScene().lookup("#connectionTable")).getSelectionModel().clearSelection();
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#connectAws")).fire();
            return null;
        });
        settle(600);
        Stage awsWizard = dialog(w);
        fx(() -> {
            ((TextField) awsWizard.getScene().lookup("#awsName")).setText("customer-prod");
            ((TextField) awsWizard.getScene().lookup("#awsRegion")).setText("eu-central-1");
            ((javafx.scene.control.Button) awsWizard.getScene().lookup("#awsCreate")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> !((TextField) awsWizard.getScene().lookup("#awsExternalId")).getText().isEmpty());
        String externalId = fx(() -> ((TextField) awsWizard.getScene().lookup("#awsExternalId")).getText());
        aws.roles.put("arn:aws:iam::123456789012:role/airotech-connect", externalId);
        fx(() -> {
            ((TextField) awsWizard.getScene().lookup("#awsRoleArn")).setText("arn:aws:iam::123456789012:role/airotech-connect");
            ((javafx.scene.control.Button) awsWizard.getScene().lookup("#awsTest")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> ((javafx.scene.control.Label) awsWizard.getScene().lookup("#awsResult")).getText().startsWith("Healthy"));
        settle(500);
        save(composite(w, awsWizard), "15-aws-wizard");
        fx(() -> {
            awsWizard.close();
            return null;
        });

        // staged rotation of the BMS password, step by step
        bmsServer.validBasic.add(FakeBms.basic("site", "the-new-password"));
        fx(() -> {
            @SuppressWarnings("unchecked") TableView<com.airotech.connect.connection.Connection> t =
                    (TableView<com.airotech.connect.connection.Connection>) w.stage().getScene().lookup("#connectionTable");
            t.getItems().stream().filter(c -> c.name().equals("bms-plant-7")).findFirst().ifPresent(c -> t.getSelectionModel().select(c));
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#rotateConnection")).fire();
            return null;
        });
        settle(600);
        Stage staged = dialog(w);
        fx(() -> {
            ((TextField) staged.getScene().lookup("#matUser")).setText("site");
            ((TextField) staged.getScene().lookup("#matPassword")).setText("the-new-password");
            ((javafx.scene.control.Button) staged.getScene().lookup("#stagedRun")).fire();
            return null;
        });
        ConsoleFixture.waitUntil(() -> ((javafx.scene.control.Label) staged.getScene().lookup("#commitStep")).getText().startsWith("3. Committed"));
        settle(500);
        save(composite(w, staged), "16-staged-rotation");
        fx(() -> {
            staged.close();
            return null;
        });
        shoot(w, Screen.OVERVIEW, "02-overview");
        deliveries(w, host, p, tn, port, bms, bmsServer);

        // storage: the disk (simulated) dips below the floor; the oldest events go before their time
        long stored = host.platform().ingest().count(p);
        host.platform().retention().setMaxAgeDays(p, 90);
        host.platform().storageHealth().useDiskSpace(d -> new com.airotech.connect.retention.DiskSpace.Usage(
                host.platform().ingest().count(p) > stored - 140 ? 23_900_000_000L : 25_300_000_000L, 240_000_000_000L));
        host.platform().pruner().runOnce();
        fx(() -> {
            ctx.changed();
            return null;
        });
        shootScrolled(w, Screen.OVERVIEW, "21-overview-storage", 0.42);
        shootScrolled(w, Screen.SETTINGS, "22-settings-retention", 0.85);

        fx(() -> {
            w.stage().close();
            return null;
        });
        host.close();
        bmsServer.close();
        vendor.close();
        aws.close();
        FakeAws.clearSystemProperties();
    }

    /** Outbound connections in every state: a healthy BMS, one waiting for its credential, one needing consent again. */
    private static void connections(GatewayHost host, Principal p, FakeAws aws, FakeBms bms, FakeOAuthServer vendor) throws Exception {
        var cs = host.platform().connections();
        // the fake systems listen on loopback, which the default outbound policy does not allow
        cs.changePolicy(p, List.of("127.0.0.0/8", "::1/128"), null, false);
        bms.validBasic.add(FakeBms.basic("site", "demo-password"));
        String healthy = cs.create(p, new com.airotech.connect.connection.NewConnection("bms-plant-7", com.airotech.connect.connection.ConnectionKind.BASIC,
                bms.baseUrl(), null, "/health")).connection().connectionId();
        cs.putCredential(p, healthy, com.airotech.connect.common.Json.object().put("username", "site").put("password", "demo-password"));
        cs.create(p, new com.airotech.connect.connection.NewConnection("bms-north-wing", com.airotech.connect.connection.ConnectionKind.MTLS,
                bms.baseUrl().replace("http:", "https:"), null, "/health"));
        // an OAuth2 vendor whose grant is revoked: the next refresh is refused and it needs consent again
        vendor.accessLifetimeSeconds = 5;
        var cfg = com.airotech.connect.common.Json.object().put("authorize_url", vendor.url("/authorize")).put("token_url", vendor.url("/token"))
                .put("client_id", vendor.clientId);
        cfg.putArray("scopes").add("points.read");
        String saas = cs.create(p, new com.airotech.connect.connection.NewConnection("energy-saas", com.airotech.connect.connection.ConnectionKind.OAUTH2,
                vendor.url(""), cfg, "/api/me")).connection().connectionId();
        cs.putCredential(p, saas, com.airotech.connect.common.Json.object().put("client_secret", vendor.clientSecret));
        String url = cs.authorizeUrl(p, saas);
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        vendor.revokeAll();
        pause(6000);
        cs.probe(p, saas);
    }

    private void post(int port, String tenant, Registration r, byte[] body, List<String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events/ingest/" + tenant + "/"
                + r.connector().connectorId())).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int k = 0; k < headers.size(); k += 2) b.header(headers.get(k), headers.get(k + 1));
        http.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Deliveries: subscriptions to a healthy receiver, a flaky one, a BMS connection and one disabled by 410; the new subscription's secret. */
    private void deliveries(ConsoleWindow w, GatewayHost host, Principal p, String tn, int port, Registration bms, FakeBms bmsServer) throws Exception {
        host.platform().connections().changePolicy(p, List.of("127.0.0.1/32"), null, false);
        com.airotech.connect.testing.WebhookReceiver erp = new com.airotech.connect.testing.WebhookReceiver();
        com.airotech.connect.testing.WebhookReceiver crm = new com.airotech.connect.testing.WebhookReceiver();
        com.airotech.connect.testing.WebhookReceiver portal = new com.airotech.connect.testing.WebhookReceiver();
        crm.behaviour = (n, body) -> n % 3 == 2 ? new com.airotech.connect.testing.WebhookReceiver.Answer(500, 0,
                "{\"error\":\"upstream_timeout\",\"message\":\"CRM database did not answer\",\"trace\":\"req-7f3a\"}", List.of("Content-Type", "application/json"))
                : com.airotech.connect.testing.WebhookReceiver.Answer.status(200);
        portal.behaviour = (n, body) -> com.airotech.connect.testing.WebhookReceiver.Answer.status(410);
        var subs = host.platform().subscriptions();
        for (String[] t : new String[][] {{"erp-webhooks", erp.url("/airotech/events")}, {"crm-inbound", crm.url("/hooks/building")},
                {"old-portal", portal.url("/events")}}) {
            var r = host.platform().connectors().register(p, new RegistrationRequest(t[0], t[1], AuthMethod.API_KEY, null, 60, null));
            r.issued().credential().destroy();
            subs.create(p, com.airotech.connect.delivery.NewSubscription.fromJson((com.fasterxml.jackson.databind.node.ObjectNode) com.airotech.connect.common.Json
                    .tree("{\"name\":\"to " + t[0] + "\",\"target\":{\"connector_id\":\"" + r.connector().connectorId() + "\"}}"))).signingSecret().destroy();
        }
        String cx = host.platform().connections().list(p).stream().filter(c -> c.name().equals("bms-plant-7")).findFirst().orElseThrow().connectionId();
        subs.create(p, com.airotech.connect.delivery.NewSubscription.fromJson((com.fasterxml.jackson.databind.node.ObjectNode) com.airotech.connect.common.Json
                .tree("{\"name\":\"alarms to bms-plant-7\",\"event_types\":[\"door_open\"],\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/api/alarms\"}}")));
        for (int i = 0; i < 40; i++) {
            byte[] body = Signer.event(i % 3 == 0 ? "temp_reading" : "door_open", "dlv-" + i);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.status().httpPort() + "/api/events/ingest/" + tn + "/"
                    + bms.connector().connectorId())).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            List<String> h = Signer.hmac(bms.issued().credential().utf8(), body);
            for (int k = 0; k < h.size(); k += 2) b.header(h.get(k), h.get(k + 1));
            HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) throw new IllegalStateException("the demo event was refused: " + answer.statusCode() + " " + answer.body());
            pause(40);
        }
        settle(2500);
        shoot(w, Screen.DELIVERIES, "17-deliveries");
        fx(() -> {
            @SuppressWarnings("unchecked") TableView<Object> t = (TableView<Object>) w.stage().getScene().lookup("#subscriptionTable");
            t.getItems().stream().filter(r -> r.toString().contains("to crm-inbound")).findFirst().ifPresent(r -> t.getSelectionModel().select(r));
            ((javafx.scene.control.ToggleButton) w.stage().getScene().lookup("#filterPending")).fire();
            return null;
        });
        settle(1500);
        fx(() -> {
            ((TableView<?>) w.stage().getScene().lookup("#deliveryTable")).getSelectionModel().select(0);
            return null;
        });
        settle(800);
        save(snapshot(w.stage().getScene()), "18-deliveries-retrying");
        fx(() -> {
            ((javafx.scene.control.Button) w.stage().getScene().lookup("#newSubscription")).fire();
            return null;
        });
        settle(1000);
        Stage create = dialog(w);
        save(composite(w, create), "19-new-subscription");
        fx(() -> {
            ((javafx.scene.control.Button) create.getScene().lookup("#createSubscription")).fire();
            return null;
        });
        settle(1500);
        Stage secret = dialog(w);
        save(composite(w, secret), "20-subscription-secret");
        fx(() -> {
            secret.close();
            return null;
        });
        erp.close();
        crm.close();
        portal.close();
    }

    private static Stage dialog(ConsoleWindow w) {
        return fx(() -> {
            for (Window x : Window.getWindows()) if (x != w.stage() && x instanceof Stage s && s.isShowing()) return s;
            return null;
        });
    }

    private void shoot(ConsoleWindow w, Screen s, String name) throws Exception {
        fx(() -> {
            w.context().screen().set(s);
            return null;
        });
        settle(1500);
        save(snapshot(w.stage().getScene()), name);
    }

    /** The screen with its page scrolled down to {@code fraction}, for what lies below the first view. */
    private void shootScrolled(ConsoleWindow w, Screen s, String name, double fraction) throws Exception {
        fx(() -> {
            w.context().screen().set(s);
            return null;
        });
        settle(1500);
        fx(() -> {
            for (javafx.scene.Node n : w.stage().getScene().getRoot().lookupAll(".page-scroll")) {
                if (n instanceof javafx.scene.control.ScrollPane sp && sp.isVisible() && sp.getScene() != null) sp.setVvalue(fraction);
            }
            return null;
        });
        settle(500);
        save(snapshot(w.stage().getScene()), name);
    }

    /** Lets background reads and the next layout pulse finish; this is a rendering tool, not a test. */
    private static void settle(long millis) throws InterruptedException {
        pause(millis);
        CountDownLatch l = new CountDownLatch(1);
        Platform.runLater(l::countDown);
        l.await(10, TimeUnit.SECONDS);
    }

    private static void pause(long millis) throws InterruptedException { Thread.sleep(millis); }

    private static BufferedImage snapshot(Scene scene) {
        return fx(() -> {
            WritableImage img = scene.snapshot(null);
            int wd = (int) img.getWidth();
            int ht = (int) img.getHeight();
            int[] argb = new int[wd * ht];
            img.getPixelReader().getPixels(0, 0, wd, ht, PixelFormat.getIntArgbInstance(), argb, 0, wd);
            BufferedImage b = new BufferedImage(wd, ht, BufferedImage.TYPE_INT_ARGB);
            b.setRGB(0, 0, wd, ht, argb, 0, wd);
            return b;
        });
    }

    /** The main window dimmed, with the dialog centred on it, as the operator sees it. */
    private static BufferedImage composite(ConsoleWindow w, Stage dialog) {
        BufferedImage main = snapshot(w.stage().getScene());
        BufferedImage d = snapshot(dialog.getScene());
        BufferedImage out = new BufferedImage(main.getWidth(), main.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.drawImage(main, 0, 0, null);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, main.getWidth(), main.getHeight());
        int x = (main.getWidth() - d.getWidth()) / 2;
        int y = Math.max(10, (main.getHeight() - d.getHeight()) / 2);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.25f));
        g.fillRoundRect(x - 2, y + 4, d.getWidth() + 8, d.getHeight() + 8, 12, 12);
        g.setComposite(AlphaComposite.SrcOver);
        g.drawImage(d, x, y, null);
        g.dispose();
        return out;
    }

    private void save(BufferedImage img, String name) throws Exception {
        ImageIO.write(img, "png", out.resolve(name + ".png").toFile());
    }
}
