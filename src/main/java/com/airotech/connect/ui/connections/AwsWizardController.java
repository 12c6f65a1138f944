package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.airotech.connect.connection.AwsSetup;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The AWS cross-account handshake: create the connection (the platform makes the external id and
 * the trust policy, shown with copy buttons), paste the role ARN, then test AssumeRole with
 * progress and its precise result.
 */
public final class AwsWizardController {
    private final ConsoleContext ctx;
    private Stage stage;
    private String connectionId;
    private Task<ProbeResult> running;

    @FXML private TextField nameField;
    @FXML private TextField regionField;
    @FXML private Button createButton;
    @FXML private VBox trustBox;
    @FXML private TextField externalIdField;
    @FXML private TextArea trustPolicyArea;
    @FXML private TextField roleArnField;
    @FXML private ProgressIndicator testProgress;
    @FXML private Label testResult;
    @FXML private Button testButton;
    @FXML private Label error;
    @FXML private Label copied;

    public AwsWizardController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        testProgress.setVisible(false);
        trustBox.setDisable(true);
        testButton.disableProperty().bind(roleArnField.textProperty().isEmpty());
        createButton.disableProperty().bind(nameField.textProperty().isEmpty());
    }

    void start(Stage stage) {
        this.stage = stage;
        stage.setOnHidden(e -> { if (running != null) running.cancel(); });
    }

    /** Opens on an existing aws_iam connection (its external id and policy), straight at the role ARN. */
    void resume(Connection c) {
        connectionId = c.connectionId();
        nameField.setText(c.name());
        regionField.setText(c.awsRegion() == null ? "" : c.awsRegion());
        created(c);
    }

    @FXML private void close() { stage.close(); }

    @FXML
    private void create() {
        error.setText("");
        Principal p = ctx.principal();
        String name = nameField.getText().strip();
        String region = regionField.getText().strip();
        createButton.disableProperty().unbind();
        createButton.setDisable(true);
        ctx.background().call(() -> {
            var config = Json.object();
            if (!region.isEmpty()) config.put("region", region);
            ConnectionService.Created c = ctx.platform().connections().create(p, new NewConnection(name, ConnectionKind.AWS_IAM, null, config, null));
            return c.connection();
        }, (Connection c) -> {
            connectionId = c.connectionId();
            created(c);
            ctx.changed();
        }, e -> {
            createButton.disableProperty().bind(nameField.textProperty().isEmpty());
            error.setText(Problems.describe(e));
            Dialogs.refit(error);
        });
    }

    private void created(Connection c) {
        nameField.setDisable(true);
        regionField.setDisable(true);
        createButton.disableProperty().unbind();
        createButton.setDisable(true);
        externalIdField.setText(c.externalId() == null ? "" : c.externalId());
        var trust = AwsSetup.trustPolicy(c);
        trustPolicyArea.setText(trust == null ? "" : trust.toPrettyString());
        trustBox.setDisable(false);
        roleArnField.requestFocus();
    }

    @FXML private void copyExternalId() { copy(externalIdField.getText(), "External id copied."); }

    @FXML private void copyTrustPolicy() { copy(trustPolicyArea.getText(), "Trust policy copied."); }

    private void copy(String text, String message) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        copied.setText(message);
    }

    @FXML
    private void test() {
        Principal p = ctx.principal();
        String id = connectionId;
        String arn = roleArnField.getText().strip();
        testResult.setText("Assuming the role with the external id…");
        testResult.getStyleClass().setAll("label", "muted");
        Task<ProbeResult> t = new Task<>() {
            @Override
            protected ProbeResult call() {
                updateTitle("Testing AssumeRole");
                updateProgress(-1, 1);
                return ctx.platform().connections().putCredential(p, id, Json.object().put("role_arn", arn));
            }
        };
        testProgress.visibleProperty().bind(t.runningProperty());
        testButton.disableProperty().unbind();
        testButton.disableProperty().bind(t.runningProperty().or(roleArnField.textProperty().isEmpty()));
        t.setOnSucceeded(e -> {
            testResult.setText("Healthy: " + ConnectionWords.detail(t.getValue().detail()));
            testResult.getStyleClass().setAll("label", "ok-text");
            Dialogs.refit(testResult);
            ctx.changed();
        });
        t.setOnFailed(e -> {
            testResult.setText(Problems.describe(t.getException()));
            testResult.getStyleClass().setAll("label", "error-text");
            Dialogs.refit(testResult);
            ctx.changed();
        });
        running = t;
        ctx.background().run(t);
    }
}
