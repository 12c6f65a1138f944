package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * A building-management gateway over basic or mTLS: the connection is created, its credential
 * staged and probed; a failing probe keeps the dialog open to correct the credential and try again.
 */
public final class AddBmsController {
    private final ConsoleContext ctx;
    private Stage stage;
    private MaterialForm material;
    private String createdId;

    @FXML private TextField nameField;
    @FXML private TextField urlField;
    @FXML private TextField probeField;
    @FXML private RadioButton basicKind;
    @FXML private RadioButton mtlsKind;
    @FXML private VBox materialBox;
    @FXML private ProgressIndicator progress;
    @FXML private Label result;
    @FXML private Button addButton;
    @FXML private Button closeButton;

    public AddBmsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        material = new MaterialForm(ctx, materialBox);
        material.show(ConnectionKind.BASIC, true);
        basicKind.selectedProperty().addListener((o, was, now) -> {
            material.show(now ? ConnectionKind.BASIC : ConnectionKind.MTLS, true);
            if (stage != null) stage.sizeToScene();
        });
        progress.setVisible(false);
        addButton.disableProperty().bind(nameField.textProperty().isEmpty().or(urlField.textProperty().isEmpty()));
    }

    void start(Stage stage) {
        this.stage = stage;
        stage.setOnHidden(e -> material.clear());
    }

    @FXML private void close() { stage.close(); }

    @FXML
    private void add() {
        ConnectionKind kind = basicKind.isSelected() ? ConnectionKind.BASIC : ConnectionKind.MTLS;
        String name = nameField.getText().strip();
        String url = urlField.getText().strip();
        String probePath = probeField.getText().strip();
        Path serverCa = kind == ConnectionKind.MTLS ? material.serverCa() : null;
        Callable<ObjectNode> body = material.body();
        Principal p = ctx.principal();
        String existing = createdId;
        busy(true, existing == null ? "Adding the connection, then probing it with the credential…" : "Probing again with the corrected credential…");
        ctx.background().call(() -> {
            String id = existing;
            if (id == null) {
                ObjectNode config = Json.object();
                if (serverCa != null) config.put("ca_pem", Files.readString(serverCa));
                id = ctx.platform().connections().create(p, new NewConnection(name, kind, url, config, probePath)).connection().connectionId();
                createdId = id;
            }
            return ctx.platform().connections().putCredential(p, id, body.call());
        }, this::probed, this::failed);
    }

    private void probed(ProbeResult r) {
        busy(false, "Healthy: " + ConnectionWords.detail(r.detail()));
        result.getStyleClass().setAll("label", "ok-text");
        Dialogs.refit(result);
        material.clear();
        ctx.changed();
        addButton.disableProperty().unbind();
        addButton.setDisable(true);
        closeButton.setText("Close");
        ctx.notifySuccess(nameField.getText().strip() + " is connected and healthy.");
    }

    private void failed(Throwable e) {
        ctx.changed();
        boolean created = createdId != null;
        busy(false, (created ? "The connection is added, but its credential is not in force: " : "") + Problems.describe(e)
                + (created ? " Correct the credential and try again." : ""));
        result.getStyleClass().setAll("label", "error-text");
        Dialogs.refit(result);
        if (created) {
            nameField.setDisable(true);
            urlField.setDisable(true);
            probeField.setDisable(true);
            basicKind.setDisable(true);
            mtlsKind.setDisable(true);
            addButton.setText("Try again");
        }
    }

    private void busy(boolean on, String text) {
        progress.setVisible(on);
        result.setText(text);
        result.getStyleClass().setAll("label", on ? "muted" : "label");
        if (on) {
            addButton.disableProperty().unbind();
            addButton.setDisable(true);
        } else {
            addButton.disableProperty().bind(nameField.textProperty().isEmpty().or(urlField.textProperty().isEmpty()));
        }
    }
}
