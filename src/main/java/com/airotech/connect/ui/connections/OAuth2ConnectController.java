package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.GatewayUrls;
import com.airotech.connect.ui.common.Problems;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * OAuth2 consent: creates the connection with its client secret (or takes one that needs consent
 * again), opens the system browser at the consent URL, waits in a {@link Task} until the vendor's
 * callback has settled ({@link ConnectionService#awaitConsent}), and shows the result.
 */
public final class OAuth2ConnectController {
    /** A consent's state is valid this long on the gateway; waiting longer is pointless. */
    static final Duration CONSENT_WAIT = Duration.ofMinutes(10);

    private final ConsoleContext ctx;
    private Stage stage;
    private String connectionId;
    private String consentUrl;
    private Task<ConnectionService.ConsentOutcome> waitingTask;

    @FXML private Label heading;
    @FXML private GridPane form;
    @FXML private TextField nameField;
    @FXML private TextField baseUrlField;
    @FXML private TextField probeField;
    @FXML private TextField authorizeField;
    @FXML private TextField tokenField;
    @FXML private TextField clientIdField;
    @FXML private PasswordField clientSecretField;
    @FXML private TextField scopesField;
    @FXML private Label redirectHint;
    @FXML private VBox consentBox;
    @FXML private TextField authorizeUrlField;
    @FXML private ProgressIndicator waiting;
    @FXML private Label result;
    @FXML private Button connectButton;
    @FXML private Button closeButton;

    public OAuth2ConnectController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        waiting.setVisible(false);
        show(consentBox, false);
        connectButton.disableProperty().bind(nameField.textProperty().isEmpty().or(baseUrlField.textProperty().isEmpty())
                .or(authorizeField.textProperty().isEmpty()).or(tokenField.textProperty().isEmpty())
                .or(clientIdField.textProperty().isEmpty()).or(clientSecretField.textProperty().isEmpty()));
        redirectHint.setText("Register " + GatewayUrls.baseUrl(ctx) + "/oauth2/callback as the redirect URI with the vendor.");
    }

    void start(Stage stage) {
        this.stage = stage;
        stage.setOnHidden(e -> {
            clientSecretField.clear();
            if (waitingTask != null) waitingTask.cancel();
        });
    }

    /** Consent again for a connection that needs it (reauth_required, or never consented). */
    void reconnect(Connection c) {
        connectionId = c.connectionId();
        heading.setText("Give consent again for " + c.name());
        show(form, false);
        show(redirectHint, false);
        connectButton.disableProperty().unbind();
        connectButton.setDisable(false);
        connectButton.setText("Open the consent page");
        if (c.status() == ConnectionStatus.REAUTH_REQUIRED) {
            result.setText(ConnectionWords.detail(c.statusDetail()));
            result.getStyleClass().setAll("label", "error-text");
            Dialogs.refit(result);
        }
    }

    private static void show(javafx.scene.Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    @FXML private void close() { stage.close(); }

    @FXML private void openAgain() { if (consentUrl != null) ctx.openBrowser(consentUrl); }

    @FXML
    private void connect() {
        Principal p = ctx.principal();
        connectButton.disableProperty().unbind();
        connectButton.setDisable(true);
        result.getStyleClass().setAll("label", "muted");
        if (connectionId != null) {
            result.setText("Preparing the consent…");
            ctx.background().call(() -> ctx.platform().connections().authorizeUrl(p, connectionId), this::consent, this::failed);
            return;
        }
        String name = nameField.getText().strip();
        String base = baseUrlField.getText().strip();
        String probe = probeField.getText().strip();
        ObjectNode config = Json.object().put("authorize_url", authorizeField.getText().strip()).put("token_url", tokenField.getText().strip())
                .put("client_id", clientIdField.getText().strip());
        ArrayNode scopes = config.putArray("scopes");
        for (String s : scopesField.getText().strip().split("[\\s,]+")) if (!s.isBlank()) scopes.add(s);
        ObjectNode secret = Json.object().put("client_secret", clientSecretField.getText());
        result.setText("Adding the connection and keeping the client secret in the secret store…");
        ctx.background().call(() -> {
            String id = ctx.platform().connections().create(p, new NewConnection(name, ConnectionKind.OAUTH2, base, config, probe)).connection().connectionId();
            connectionId = id;
            ctx.platform().connections().putCredential(p, id, secret);
            return ctx.platform().connections().authorizeUrl(p, id);
        }, url -> {
            clientSecretField.clear();
            form.setDisable(true);
            ctx.changed();
            consent(url);
        }, this::failed);
    }

    private void failed(Throwable e) {
        result.setText(Problems.describe(e));
        result.getStyleClass().setAll("label", "error-text");
        Dialogs.refit(result);
        connectButton.setDisable(false);
        if (connectionId != null) {
            // the connection exists: trying again only reopens the consent
            form.setDisable(true);
            connectButton.setText("Open the consent page");
        }
        ctx.changed();
    }

    private void consent(String url) {
        consentUrl = url;
        authorizeUrlField.setText(url);
        show(consentBox, true);
        stage.sizeToScene();
        closeButton.setText("Close");
        result.setText("Waiting for the consent in the browser…");
        result.getStyleClass().setAll("label", "muted");
        Principal p = ctx.principal();
        String id = connectionId;
        Instant since = ctx.clock().instant();
        Task<ConnectionService.ConsentOutcome> t = new Task<>() {
            @Override
            protected ConnectionService.ConsentOutcome call() throws Exception {
                updateTitle("Waiting for the OAuth2 consent");
                return ctx.platform().connections().awaitConsent(p, id, since, CONSENT_WAIT);
            }
        };
        waiting.visibleProperty().bind(t.runningProperty());
        t.setOnSucceeded(e -> done(t.getValue()));
        t.setOnFailed(e -> failed(t.getException()));
        waitingTask = t;
        ctx.background().run(t);
        ctx.openBrowser(url);
    }

    private void done(ConnectionService.ConsentOutcome o) {
        ctx.changed();
        if (o != null && o.failure() != null) {
            result.setText("The consent did not complete: " + o.failure());
            result.getStyleClass().setAll("label", "error-text");
            Dialogs.refit(result);
            connectButton.setText("Open the consent page");
            connectButton.setDisable(false);
            return;
        }
        Connection c = o == null ? null : o.connection();
        if (c == null) {
            result.setText("No consent arrived within " + CONSENT_WAIT.toMinutes() + " minutes. Open the consent page again, "
                    + "and check that the vendor redirects to " + GatewayUrls.baseUrl(ctx) + "/oauth2/callback.");
            result.getStyleClass().setAll("label", "error-text");
            Dialogs.refit(result);
            connectButton.setText("Open the consent page");
            connectButton.setDisable(false);
            return;
        }
        boolean ok = c.status() == ConnectionStatus.HEALTHY;
        result.setText(ok ? "Connected: consent given and the probe passed. " + ConnectionWords.detail(c.statusDetail())
                : "Consent was given, but the probe with the new token failed: " + ConnectionWords.detail(c.statusDetail()));
        result.getStyleClass().setAll("label", ok ? "ok-text" : "error-text");
        Dialogs.refit(result);
        connectButton.setText("Done");
        connectButton.setOnAction(e -> stage.close());
        connectButton.setDisable(false);
    }
}
