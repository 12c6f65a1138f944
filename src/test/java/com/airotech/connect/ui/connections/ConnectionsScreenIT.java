package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.FakeAws;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.FakeOAuthServer;
import com.airotech.connect.ui.ConsoleFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Connections screen against loopback fakes: a BMS gateway, STS with SigV4 checks, an OAuth2 vendor. */
@ExtendWith(ApplicationExtension.class)
public class ConnectionsScreenIT {
    static final String PRINCIPAL = "arn:aws:iam::" + FakeAws.PLATFORM_ACCOUNT + ":role/airotech-connect-platform";
    static FakeAws aws;
    private ConsoleFixture console;

    @BeforeAll
    static void startAws() {
        aws = new FakeAws();
        aws.useThroughSystemProperties(PRINCIPAL);
    }

    @AfterAll
    static void stopAws() {
        aws.close();
        FakeAws.clearSystemProperties();
    }

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    private static String text(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).query() instanceof TextInputControl t ? t.getText() : ((Labeled) robot.lookup(id).query()).getText());
    }

    private static void type(FxRobot robot, String id, String text) {
        fx(() -> {
            robot.lookup(id).queryAs(TextInputControl.class).setText(text);
            return null;
        });
    }

    private Connection only(Tenant t) {
        List<Connection> list = console.host.platform().connections().list(console.principal(t));
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @Test
    void aBuildingGatewayOverBasicIsAddedProbedHealthyAndProbedAgain(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        console.port();
        try (FakeBms bms = FakeBms.http()) {
            String password = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", password));
            robot.clickOn("#nav-connections");
            robot.clickOn("#addBms");
            robot.clickOn("#bmsName").write("bms-plant-7");
            type(robot, "#bmsUrl", bms.baseUrl());
            type(robot, "#matUser", "site");
            type(robot, "#matPassword", password);
            robot.clickOn("#bmsAdd");
            waitUntil(() -> text(robot, "#bmsResult").startsWith("Healthy"));
            assertThat(text(robot, "#bmsResult")).contains("HTTP 200 from GET /health");
            assertThat(text(robot, "#matPassword")).isEmpty();
            robot.clickOn("Close");
            assertThat(ConsoleFixture.textsOnScreen()).noneMatch(s -> s.contains(password));

            waitUntil(() -> robot.lookup("#connectionTable").queryAs(TableView.class).getItems().size() == 1);
            ConsoleFixture.clickText(robot, "bms-plant-7");
            waitUntil(() -> text(robot, "#connectionStatus").equals("Healthy"));
            long before = bms.count("/health");
            robot.clickOn("#probeConnection");
            waitUntil(() -> bms.count("/health") == before + 1);
            waitUntil(() -> console.ctx().notice().get() != null && console.ctx().notice().get().text().startsWith("bms-plant-7 is healthy"));
            assertThat(only(t).status()).isEqualTo(ConnectionStatus.HEALTHY);
            assertThat(bms.seen).allMatch(s -> FakeBms.basic("site", password).equals(s.authorization()));
        }
    }

    @Test
    void aWrongBmsPasswordLeavesTheDialogOpenWithTheReasonAndAFixedOneConnects(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        console.port();
        try (FakeBms bms = FakeBms.http()) {
            String password = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", password));
            robot.clickOn("#nav-connections");
            robot.clickOn("#addBms");
            robot.clickOn("#bmsName").write("bms-north");
            type(robot, "#bmsUrl", bms.baseUrl());
            type(robot, "#matUser", "site");
            type(robot, "#matPassword", "not-the-password");
            robot.clickOn("#bmsAdd");
            waitUntil(() -> text(robot, "#bmsResult").contains("refused the credential"));
            assertThat(text(robot, "#bmsResult")).startsWith("The connection is added, but its credential is not in force").contains("HTTP 401");
            type(robot, "#matPassword", password);
            robot.clickOn("#bmsAdd");
            waitUntil(() -> text(robot, "#bmsResult").startsWith("Healthy"));
            assertThat(only(t).status()).isEqualTo(ConnectionStatus.HEALTHY);
        }
    }

    @Test
    void stagedRotationShowsEachStepAndKeepsThePreviousMaterialWhenTheProbeFails(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        var p = console.principal(t);
        try (FakeBms bms = FakeBms.http()) {
            String first = "pw-" + UUID.randomUUID();
            String second = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", first));
            String id = console.host.platform().connections().create(p, new NewConnection("bms-south", ConnectionKind.BASIC, bms.baseUrl(), null, "/health"))
                    .connection().connectionId();
            console.host.platform().connections().putCredential(p, id, Json.object().put("username", "site").put("password", first));
            console.port();
            robot.clickOn("#nav-connections");
            ConsoleFixture.clickText(robot, "bms-south");
            robot.clickOn("#rotateConnection");
            type(robot, "#matUser", "site");
            type(robot, "#matPassword", second);
            robot.clickOn("#stagedRun");
            waitUntil(() -> text(robot, "#commitStep").startsWith("3. Not committed"));
            assertThat(text(robot, "#stageStep")).startsWith("1. Staged as version 2");
            assertThat(text(robot, "#probeStep")).startsWith("2. Probe failed").contains("HTTP 401");
            assertThat(text(robot, "#stagedResult")).contains("previous one stays in force");
            assertThat(console.host.platform().connections().get(p, id).currentVersion()).isEqualTo(1);

            // the gateway now takes the new password: the same dialog commits it
            bms.validBasic.add(FakeBms.basic("site", second));
            type(robot, "#matPassword", second);
            robot.clickOn("#stagedRun");
            waitUntil(() -> text(robot, "#commitStep").startsWith("3. Committed"));
            assertThat(text(robot, "#stageStep")).startsWith("1. Staged as version 3");
            assertThat(text(robot, "#probeStep")).startsWith("2. Probe passed");
            assertThat(console.host.platform().connections().get(p, id).currentVersion()).isEqualTo(3);
            assertThat(bms.seen.get(bms.seen.size() - 1).authorization()).isEqualTo(FakeBms.basic("site", second));
        }
    }

    @Test
    void theAwsWizardHandsOverExternalIdAndTrustPolicyThenTestsAssumeRoleWithThePreciseReason(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        console.port();
        robot.clickOn("#nav-connections");
        robot.clickOn("#connectAws");
        robot.clickOn("#awsName").write("customer-prod");
        type(robot, "#awsRegion", "us-east-1");
        robot.clickOn("#awsCreate");
        waitUntil(() -> !text(robot, "#awsExternalId").isEmpty());
        String externalId = text(robot, "#awsExternalId");
        assertThat(Json.tree(text(robot, "#awsTrustPolicy").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(Json.tree(("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + PRINCIPAL
                        + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + externalId + "\"}}}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(only(t).externalId()).isEqualTo(externalId);

        // a role whose trust policy names another external id: refused, and the reason says which
        String role = "arn:aws:iam::123456789012:role/airotech-" + UUID.randomUUID().toString().substring(0, 8);
        aws.roles.put(role, "another-connections-external-id-0000000000");
        type(robot, "#awsRoleArn", role);
        robot.clickOn("#awsTest");
        waitUntil(() -> text(robot, "#awsResult").contains("AccessDenied"));
        assertThat(text(robot, "#awsResult")).contains("sts:ExternalId = " + externalId).contains(PRINCIPAL);
        assertThat(only(t).currentVersion()).isNull();

        // the customer fixes the policy: the same test goes healthy with the assumed identity
        aws.roles.put(role, externalId);
        robot.clickOn("#awsTest");
        waitUntil(() -> text(robot, "#awsResult").startsWith("Healthy"));
        assertThat(text(robot, "#awsResult")).contains("account 123456789012");
        assertThat(aws.assumeRoles).anyMatch(x -> x[0].equals(role) && x[1].equals(externalId));
        assertThat(only(t).status()).isEqualTo(ConnectionStatus.HEALTHY);
    }

    /** The "system browser": opens the consent page and follows the vendor's redirect back to the gateway. */
    private void useFollowingBrowser() {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
        console.ctx().setBrowser(url -> {
            console.browsed.add(url);
            browser.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
        });
    }

    /** Fills the OAuth2 dialog for {@code vendor} with this client secret and starts the consent. */
    private static void connectWithOAuth2(FxRobot robot, FakeOAuthServer vendor, String clientSecret) {
        robot.clickOn("#nav-connections");
        robot.clickOn("#connectOAuth2");
        robot.clickOn("#oauthName").write("energy-saas");
        type(robot, "#oauthBaseUrl", vendor.url(""));
        type(robot, "#oauthProbe", "/api/me");
        type(robot, "#oauthAuthorizeUrl", vendor.url("/authorize"));
        type(robot, "#oauthTokenUrl", vendor.url("/token"));
        type(robot, "#oauthClientId", vendor.clientId);
        type(robot, "#oauthClientSecret", clientSecret);
        type(robot, "#oauthScopes", "points.read alarms.write");
        robot.clickOn("#oauthConnect");
    }

    @Test
    void oauth2ConsentInTheBrowserConnectsAndAReauthIsShownInRedWithAReconnect(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        console.port();
        useFollowingBrowser();
        try (FakeOAuthServer vendor = new FakeOAuthServer()) {
            connectWithOAuth2(robot, vendor, vendor.clientSecret);
            waitUntil(() -> text(robot, "#oauthResult").startsWith("Connected"));
            assertThat(console.browsed).hasSize(1);
            assertThat(console.browsed.get(0)).startsWith(vendor.url("/authorize")).contains("scope=points.read");
            assertThat(text(robot, "#oauthClientSecret")).isEmpty();
            assertThat(only(t).status()).isEqualTo(ConnectionStatus.HEALTHY);
            robot.clickOn("#oauthConnect");

            // the vendor revokes the grant; once the token expires the refresh is refused
            vendor.revokeAll();
            console.clock.advance(Duration.ofHours(2));
            waitUntil(() -> robot.lookup("#connectionTable").queryAs(TableView.class).getItems().size() == 1);
            ConsoleFixture.clickText(robot, "energy-saas");
            robot.clickOn("#probeConnection");
            waitUntil(() -> text(robot, "#connectionStatus").equals("Reauth required"));
            assertThat(fx(() -> robot.lookup("#connectionStatus").query().getStyleClass().contains("error-text"))).isTrue();
            assertThat(fx(() -> robot.lookup("#reauthBanner").query().isVisible())).isTrue();
            waitUntil(() -> robot.lookup((javafx.scene.control.TableCell<?, ?> c) -> "Reauth required".equals(c.getText())
                    && c.getStyleClass().contains("cell-error")).tryQuery().isPresent());

            robot.clickOn("#reconnect");
            robot.clickOn("#oauthConnect");
            waitUntil(() -> text(robot, "#oauthResult").startsWith("Connected"));
            assertThat(console.browsed).hasSize(2);
            assertThat(only(t).status()).isEqualTo(ConnectionStatus.HEALTHY);
        }
    }

    @Test
    void aRefusedCodeExchangeIsShownAtOnceInsteadOfWaitingForTheConsent(FxRobot robot) {
        Tenant t = console.allowLoopback(console.tenant("acme"));
        console.port();
        useFollowingBrowser();
        try (FakeOAuthServer vendor = new FakeOAuthServer()) {
            connectWithOAuth2(robot, vendor, "not-the-secret"); // the vendor answers invalid_client to the code exchange
            // the dialog would otherwise wait its full ten minutes for a consent that cannot come
            waitUntil(() -> text(robot, "#oauthResult").startsWith("The consent did not complete"));
            assertThat(text(robot, "#oauthResult")).contains("invalid_client").doesNotContain("not-the-secret");
            assertThat(fx(() -> robot.lookup("#oauthResult").query().getStyleClass().contains("error-text"))).isTrue();
            assertThat(vendor.codeExchanges.get()).isZero();
            Connection c = only(t);
            assertThat(c.status()).isEqualTo(ConnectionStatus.PENDING);
            assertThat(ConnectionWords.detail(c.statusDetail())).startsWith("Consent failed").contains("invalid_client");
            assertThat(console.host.platform().audit().page(t.tenantId(), AuditQuery.firstPage(100)).entries())
                    .anyMatch(e -> e.action().equals("connection.consent_failed") && c.connectionId().equals(e.target()));
        }
    }
}
