package com.airotech.connect.ui.connectors;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.pki.Pem;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.ui.ConsoleFixture;
import com.airotech.connect.ui.TlsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import javafx.scene.control.Labeled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class ConnectorsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage, true); }

    @AfterEach
    void close() { console.close(); }

    /** The headers a site gateway sends with what the show-once dialog gave it. */
    private List<String> sign(AuthMethod m, String connectorId, String credential, byte[] body) {
        return switch (m) {
            case HMAC -> Signer.hmac(credential, body);
            case API_KEY -> Signer.apiKey(credential);
            case BASIC -> Signer.basic(connectorId, credential);
            case OAUTH2 -> Senders.bearer(token(connectorId, credential));
            case RSA -> Senders.rsa(Senders.privateKey(credential), body, Senders.newMessageId(), console.clock.instant().getEpochSecond());
            default -> throw new IllegalArgumentException(m.wire());
        };
    }

    /** An access token from the platform's token endpoint, as the oauth2 example fetches it. */
    private String token(String clientId, String secret) {
        try {
            HttpResponse<String> r = console.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/oauth2/token"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return ConsoleFixture.json(r).get("access_token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).query() instanceof javafx.scene.control.TextInputControl t ? t.getText() : ((Labeled) robot.lookup(id).query()).getText());
    }

    private boolean visible(FxRobot robot, String id) {
        return fx(() -> {
            for (javafx.scene.Node n = robot.lookup(id).query(); n != null; n = n.getParent()) if (!n.isVisible()) return false;
            return true;
        });
    }

    @Test
    void registeringEachOfTheSixMethodsShowsItsWorkingCredentialOnceAndThenNowhere(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        robot.clickOn("#nav-connectors");
        assertThat(MethodGuide.available(console.host.platform().connectors().supportedMethods())).extracting(MethodGuide::method)
                .containsExactlyInAnyOrder(AuthMethod.values());
        for (MethodGuide g : MethodGuide.available(console.host.platform().connectors().supportedMethods())) {
            String name = "site-" + g.method().wire().replace('_', '-');
            robot.clickOn("#registerConnector");
            robot.clickOn("#method-" + g.method().wire());
            robot.clickOn("#systemName").write(name);
            robot.clickOn("#registerButton");
            waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isPresent());
            Connector c = console.host.platform().connectors().list(console.principal(t)).stream()
                    .filter(x -> x.systemName().equals(name)).findFirst().orElseThrow();
            String sha = text(robot, "#shaField");
            String example = text(robot, "#exampleArea");
            assertThat(sha).isEqualTo(c.credentialSha256());
            assertThat(example).contains("curl").contains(c.connectorId());
            // the dialog cannot be dismissed with "Done" before the operator confirms storing it
            assertThat(fx(() -> robot.lookup("#doneButton").query().isDisabled())).isTrue();

            String secret;
            HttpResponse<String> sent;
            byte[] body = Signer.event("status", null);
            String path = "/api/events/ingest/" + t.tenantId() + "/" + c.connectorId();
            switch (g.method()) {
                case RSA -> {
                    assertThat(visible(robot, "#secretField")).isFalse();
                    secret = text(robot, "#secretBlock");
                    assertThat(secret).startsWith("-----BEGIN PRIVATE KEY-----");
                    robot.clickOn("#saveBlock");
                    Path saved = console.files.resolve(MethodGuide.privateKeyFile(c));
                    waitUntil(() -> Files.exists(saved));
                    assertThat(Files.readString(saved)).isEqualTo(secret);
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
                    assertThat(example).contains(MethodGuide.privateKeyFile(c)).contains("openssl dgst -sha256 -sign").doesNotContain(secret);
                    sent = console.post(path, body, sign(g.method(), c.connectorId(), secret, body));
                }
                case MTLS -> {
                    secret = text(robot, "#secretField");
                    assertThat(example).contains("--cert-type P12").contains(MethodGuide.bundleFile(c)).contains(secret);
                    robot.clickOn("#storedCheck");
                    // the bundle exists only in this window: Done waits until it is saved
                    assertThat(fx(() -> robot.lookup("#doneButton").query().isDisabled())).isTrue();
                    robot.clickOn("#saveBundle");
                    Path saved = console.files.resolve(MethodGuide.bundleFile(c));
                    waitUntil(() -> Files.exists(saved) && !robot.lookup("#doneButton").query().isDisabled());
                    robot.clickOn("#storedCheck");
                    HttpClient client = TlsClients.fromBundle(saved, secret, console.host.platform().ca().certificate());
                    sent = client.send(HttpRequest.newBuilder(URI.create(console.host.status().httpsUrl() + path)).timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }
                default -> {
                    secret = text(robot, "#secretField");
                    assertThat(sha).isEqualTo(Crypto.sha256Hex(secret));
                    assertThat(example).contains(secret);
                    if (g.method() == AuthMethod.HMAC) assertThat(secret).startsWith("whsec_");
                    if (g.method() == AuthMethod.HMAC) assertThat(example).contains("openssl");
                    if (g.method() == AuthMethod.OAUTH2) assertThat(example).contains("/oauth2/token").contains("grant_type=client_credentials");
                    sent = console.post(path, body, sign(g.method(), c.connectorId(), secret, body));
                }
            }
            // the credential shown was the real one: the gateway accepts an event sent with it
            assertThat(sent.statusCode()).as(g + ": " + sent.body()).isEqualTo(202);

            robot.clickOn("#storedCheck");
            robot.clickOn("#doneButton");
            waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isEmpty());
            String fragment = secret.contains("\n") ? secret.split("\n")[1] : secret;
            assertThat(ConsoleFixture.textsOnScreen()).noneMatch(x -> x.contains(fragment));
        }
        waitUntil(() -> robot.lookup("#connectorTable").queryAs(TableView.class).getItems().size() == 6);
    }

    @Test
    void anRsaConnectorWithTheGatewaysOwnPublicKeyShowsNoSecretAndAcceptsItsSignatures(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        KeyPair own = Senders.rsaKeyPair(2048);
        Path pub = console.files.resolve("gateway-public.pem");
        Files.writeString(pub, Pem.write(own.getPublic()));
        console.nextOpen = pub;
        robot.clickOn("#nav-connectors");
        robot.clickOn("#registerConnector");
        robot.clickOn("#method-rsa");
        robot.clickOn("#systemName").write("site-own-key");
        robot.clickOn("#loadKey");
        waitUntil(() -> text(robot, "#keyPem").contains("BEGIN PUBLIC KEY"));
        robot.clickOn("#registerButton");
        waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isPresent());
        assertThat(visible(robot, "#secretField")).isFalse();
        assertThat(visible(robot, "#secretBlock")).isFalse();
        assertThat(text(robot, "#shaField")).isEqualTo(Crypto.sha256Hex(own.getPublic().getEncoded()));
        assertThat(text(robot, "#exampleArea")).contains("your-private-key.pem");
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");

        Connector c = console.host.platform().connectors().list(console.principal(t)).get(0);
        byte[] body = Signer.event("status", null);
        HttpResponse<String> r = console.post("/api/events/ingest/" + t.tenantId() + "/" + c.connectorId(), body,
                Senders.rsa(own.getPrivate(), body, Senders.newMessageId(), console.clock.instant().getEpochSecond()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    @Test
    void rotatingAnMtlsConnectorHandsOverANewBundleOnceAndBothWorkDuringTheGrace(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        Registration reg = console.host.platform().connectors().register(console.principal(t),
                new RegistrationRequest("door-controller", null, AuthMethod.MTLS, null, 60, null));
        reg.issued().shown().values().forEach(com.airotech.connect.common.Secret::destroy);
        console.port();
        robot.clickOn("#nav-connectors");
        ConsoleFixture.clickText(robot, "door-controller");
        robot.clickOn("#rotateConnector");
        waitUntil(() -> visible(robot, "#rotateKeyPem"));
        robot.clickOn("#rotateButton");
        waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isPresent());
        String password = text(robot, "#secretField");
        robot.clickOn("#saveBundle");
        Path saved = console.files.resolve("door-controller.p12");
        waitUntil(() -> Files.exists(saved));
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");
        Connector c = console.host.platform().connectors().get(console.principal(t), reg.connector().connectorId());
        assertThat(c.certificateSha256()).isNotEqualTo(reg.connector().certificateSha256());
        HttpClient client = TlsClients.fromBundle(saved, password, console.host.platform().ca().certificate());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(console.host.status().httpsUrl()
                        + "/api/events/ingest/" + t.tenantId() + "/" + c.connectorId())).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Signer.event("status", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
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
