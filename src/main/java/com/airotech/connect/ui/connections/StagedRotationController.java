package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.connection.StagingListener;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** Staged rotation of a connection's material: stage, probe, commit, each step shown with its result as it happens. */
public final class StagedRotationController {
    private final ConsoleContext ctx;
    private Stage stage;
    private Connection connection;
    private MaterialForm material;

    @FXML private Label heading;
    @FXML private VBox materialBox;
    @FXML private Label stageStep;
    @FXML private Label probeStep;
    @FXML private Label commitStep;
    @FXML private Label result;
    @FXML private Button runButton;
    @FXML private Button closeButton;

    public StagedRotationController(ConsoleContext ctx) { this.ctx = ctx; }

    void start(Stage stage, Connection c) {
        this.stage = stage;
        this.connection = c;
        heading.setText("Rotate the credential of " + c.name());
        material = new MaterialForm(ctx, materialBox);
        material.show(c.kind(), false);
        stage.setOnHidden(e -> material.clear());
    }

    @FXML private void close() { stage.close(); }

    @FXML
    private void run() {
        Callable<ObjectNode> body = material.body();
        Principal p = ctx.principal();
        String id = connection.connectionId();
        step(stageStep, "step-running", "1. Staging the new material…");
        step(probeStep, "step-pending", "2. Probe the system with it");
        step(commitStep, "step-pending", "3. Commit: it replaces the current material");
        result.setText("");
        runButton.setDisable(true);
        StagingListener steps = new StagingListener() {
            @Override public void staged(int version) { later(stageStep, "step-ok", "1. Staged as version " + version + " (not in force yet) ✓"); }

            @Override public void probing() { later(probeStep, "step-running", "2. Probing " + target() + " with it…"); }

            @Override
            public void probed(ProbeResult r) {
                later(probeStep, r.healthy() ? "step-ok" : "step-failed", "2. Probe " + (r.healthy() ? "passed ✓ " : "failed ✗ ") + ConnectionWords.detail(r.detail()));
            }

            @Override
            public void committed(int version, ProbeResult r) {
                later(commitStep, "step-ok", "3. Committed: version " + version + " is in force ✓");
            }

            @Override
            public void rejected(int version, ProbeResult r) {
                later(commitStep, "step-failed", "3. Not committed: version " + version + " was discarded, the previous material stays in force");
            }
        };
        ctx.background().call(() -> ctx.platform().connections().putCredential(p, id, body.call(), steps), r -> {
            material.clear();
            result.setText(r.status() == ConnectionStatus.HEALTHY ? "The new credential is in force and the connection is healthy."
                    : "The new credential is in force; the connection is " + r.status().wire() + ": " + ConnectionWords.detail(r.detail()));
            result.getStyleClass().setAll("label", "ok-text");
            Dialogs.refit(result);
            closeButton.setVisible(false);
            closeButton.setManaged(false);
            runButton.setText("Done");
            runButton.setOnAction(e -> stage.close());
            runButton.setDisable(false);
            ctx.changed();
        }, e -> {
            if (stageStep.getStyleClass().contains("step-running")) step(stageStep, "step-failed", "1. Not staged ✗");
            result.setText(Problems.describe(e));
            result.getStyleClass().setAll("label", "error-text");
            Dialogs.refit(result);
            runButton.setText("Try again");
            runButton.setDisable(false);
            ctx.changed();
        });
    }

    private String target() { return connection.baseUrl() == null ? "AWS (AssumeRole)" : connection.baseUrl() + connection.probePath(); }

    private static void later(Label l, String style, String text) { Platform.runLater(() -> step(l, style, text)); }

    private static void step(Label l, String style, String text) {
        l.setText(text);
        l.getStyleClass().setAll("label", style);
        Dialogs.refit(l);
    }
}
