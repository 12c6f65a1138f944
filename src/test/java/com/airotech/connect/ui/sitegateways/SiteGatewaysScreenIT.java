package com.airotech.connect.ui.sitegateways;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.ui.ConsoleFixture;
import com.airotech.connect.ui.TlsClients;
import com.airotech.connect.ui.common.Formats;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
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
public class SiteGatewaysScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage, true); }

    @AfterEach
    void close() { console.close(); }

    private HttpResponse<String> send(HttpClient client, Tenant t, Connector c) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(console.host.status().httpsUrl() + "/api/events/ingest/" + t.tenantId() + "/" + c.connectorId()))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Signer.event("status", null))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Connector connector(Tenant t, String name) {
        return console.host.platform().connectors().list(console.principal(t)).stream().filter(c -> c.systemName().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<SiteGatewaysModel.Row> rows(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#siteTable").queryAs(TableView.class).getItems()));
    }

    @Test
    void issuingACertificateHandsOverABundleThatTheHttpsListenerAccepts(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        robot.clickOn("#nav-site-gateways");
        robot.clickOn("#issueCertificate");
        robot.clickOn("#siteName").write("plant-7");
        robot.clickOn("#issueButton");
        waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isPresent());
        String password = fx(() -> robot.lookup("#secretField").queryAs(TextField.class).getText());
        robot.clickOn("#saveBundle");
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");
        waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isEmpty());
        assertThat(ConsoleFixture.textsOnScreen()).noneMatch(s -> s.contains(password));

        Connector c = connector(t, "plant-7");
        assertThat(c.authMethod()).isEqualTo(AuthMethod.MTLS);
        waitUntil(() -> rows(robot).size() == 1);
        assertThat(rows(robot).get(0).status()).startsWith("Valid, 39");
        HttpClient client = TlsClients.fromBundle(console.files.resolve("plant-7.p12"), password, console.host.platform().ca().certificate());
        assertThat(send(client, t, c).statusCode()).isEqualTo(202);
    }

    @Test
    void signingALoadedCsrGivesACertificateForTheGatewaysOwnKey(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        console.port();
        KeyPair own = LocalCa.newKeyPair();
        Path csr = console.files.resolve("gateway.csr");
        Files.writeString(csr, TlsClients.csr(own, "whatever-the-gateway-asks"));
        console.nextOpen = csr;
        robot.clickOn("#nav-site-gateways");
        robot.clickOn("#signCsr");
        robot.clickOn("#siteName").write("plant-8");
        robot.clickOn("#loadCsr");
        waitUntil(() -> robot.lookup("#csrPem").queryAs(TextArea.class).getText().contains("BEGIN CERTIFICATE REQUEST"));
        robot.clickOn("#issueButton");
        waitUntil(() -> robot.lookup("#showOnceHeading").tryQuery().isPresent());
        String pem = fx(() -> robot.lookup("#publicArea").queryAs(TextArea.class).getText());
        robot.clickOn("#savePublic");
        Path saved = console.files.resolve("plant-8-client.pem");
        waitUntil(() -> Files.exists(saved));
        assertThat(Files.readString(saved)).isEqualTo(pem);
        robot.clickOn("#storedCheck");
        robot.clickOn("#doneButton");

        Connector c = connector(t, "plant-8");
        X509Certificate cert = TlsClients.certificate(pem);
        assertThat(cert.getPublicKey()).isEqualTo(own.getPublic());
        assertThat(LocalCa.fingerprint(cert)).isEqualTo(c.certificateSha256());
        HttpClient client = TlsClients.fromKey(own, cert, console.host.platform().ca().certificate());
        assertThat(send(client, t, c).statusCode()).isEqualTo(202);
    }

    @Test
    void expiryIsSortedAndWarnedThirtyDaysAheadAndTheBundlesCarryNoMaterial(FxRobot robot) throws Exception {
        Tenant t = console.tenant("acme");
        var p = console.principal(t);
        Registration longLived = console.host.platform().connectors().register(p,
                new RegistrationRequest("long-lived", null, AuthMethod.MTLS, null, 60, new CredentialOptions(null, null, 400)));
        Registration soon = console.host.platform().connectors().register(p,
                new RegistrationRequest("soon", null, AuthMethod.MTLS, null, 60, new CredentialOptions(null, null, 10)));
        Registration basic = console.host.platform().connectors().register(p, new RegistrationRequest("legacy-panel", null, AuthMethod.BASIC, null, 60, null));
        console.host.platform().connectors().register(p, new RegistrationRequest("not-a-site-gateway", null, AuthMethod.HMAC, null, 60, null));
        String password = basic.issued().credential().utf8();
        String p12Password = soon.issued().shown().get("client_p12_password").utf8();
        console.port();
        robot.clickOn("#nav-site-gateways");
        waitUntil(() -> rows(robot).size() == 3);
        assertThat(rows(robot)).extracting(r -> r.connector().systemName()).containsExactly("soon", "long-lived", "legacy-panel");
        assertThat(rows(robot).get(0).level()).isEqualTo(SiteGatewaysModel.Level.WARN);
        assertThat(rows(robot).get(0).status()).matches("Expires in (9|10) days: renew soon");
        Label banner = robot.lookup("#expiryBanner").queryAs(Label.class);
        waitUntil(banner::isVisible);
        assertThat(banner.getText()).startsWith("1 client certificate expires within 30 days");
        assertThat(fx(() -> robot.lookup("#caFingerprint").queryAs(Label.class).getText()))
                .isEqualTo(Formats.fingerprint(LocalCa.fingerprint(console.host.platform().ca().certificate())));

        // the CA certificate, exported for the senders to trust
        robot.clickOn("#exportCa");
        Path caFile = console.files.resolve("airotech-ca.pem");
        waitUntil(() -> Files.exists(caFile));
        assertThat(Files.readString(caFile)).isEqualTo(console.host.platform().ca().certificatePem());

        // the client bundle: CA, ids and addresses, never the password or the key
        ConsoleFixture.clickText(robot, "soon");
        robot.clickOn("#exportBundle");
        Path zip = console.files.resolve("soon-bundle.zip");
        waitUntil(() -> Files.exists(zip));
        Map<String, String> entries = unzip(zip);
        assertThat(entries).containsKeys("ca.pem", "README.txt", "send-event.sh");
        assertThat(entries.get("ca.pem")).isEqualTo(console.host.platform().ca().certificatePem());
        assertThat(entries.get("README.txt")).contains(soon.connector().connectorId()).contains(console.host.status().httpsUrl());
        assertThat(String.join("", entries.values())).doesNotContain(p12Password).doesNotContain(password);

        // time passes: the certificate expires and says so
        console.clock.advance(Duration.ofDays(11));
        fx(() -> {
            console.ctx().changed();
            return null;
        });
        waitUntil(() -> rows(robot).get(0).level() == SiteGatewaysModel.Level.ERROR);
        assertThat(rows(robot).get(0).status()).startsWith("Expired");

        // revoked after a confirmation, it leaves the list
        robot.clickOn("#revokeSiteGateway");
        robot.clickOn("#confirmRevokeSite");
        waitUntil(() -> rows(robot).size() == 2);
        assertThat(console.host.platform().connectors().get(p, soon.connector().connectorId()).active()).isFalse();
        assertThat(console.host.platform().connectors().get(p, longLived.connector().connectorId()).active()).isTrue();
    }

    private static Map<String, String> unzip(Path zip) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
