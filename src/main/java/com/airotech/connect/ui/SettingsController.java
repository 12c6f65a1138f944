package com.airotech.connect.ui;

import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import java.util.Arrays;
import java.util.List;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/** Listener address and ports, Kafka, outbound networks: saved to the data directory and applied by restarting the gateway. */
public final class SettingsController implements ScreenController {
    private final ConsoleContext ctx;

    @FXML private TextField bindField;
    @FXML private TextField httpPortField;
    @FXML private TextField httpsPortField;
    @FXML private TextField kafkaField;
    @FXML private TextArea networksArea;
    @FXML private Label dataDirLabel;
    @FXML private Label fileLabel;
    @FXML private Label result;
    @FXML private Button applyButton;

    public SettingsController(ConsoleContext ctx) { this.ctx = ctx; }

    @Override
    public void shown() { revert(); }

    @FXML
    private void revert() {
        ConsoleSettings s = ctx.settings();
        bindField.setText(s.bind());
        httpPortField.setText(Integer.toString(s.httpPort()));
        httpsPortField.setText(Integer.toString(s.httpsPort()));
        kafkaField.setText(s.kafkaBootstrap() == null ? "" : s.kafkaBootstrap());
        networksArea.setText(String.join("\n", s.outboundAllowedNetworks()));
        dataDirLabel.setText(ctx.dataDir().toString());
        fileLabel.setText(ConsoleSettings.file(ctx.dataDir()).toString());
        result.setText("");
        result.getStyleClass().setAll("label");
    }

    @FXML
    private void apply() {
        ConsoleSettings next;
        try {
            next = new ConsoleSettings(bindField.getText(), port(httpPortField, "HTTP"), port(httpsPortField, "HTTPS"), kafkaField.getText(),
                    List.copyOf(Arrays.asList(networksArea.getText().split("\\R"))), ctx.settings().activeTenantId());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        applyButton.setDisable(true);
        result.setText("Restarting the gateway…");
        result.getStyleClass().setAll("label", "muted");
        Task<GatewayHost.Restart> t = new Task<>() {
            @Override
            protected GatewayHost.Restart call() {
                updateTitle("Restarting the gateway with the new settings");
                updateProgress(-1, 1);
                GatewayHost.Restart r = ctx.host().restart(next.applyTo(ctx.host().config()));
                if (r.applied()) next.save(ctx.dataDir());
                return r;
            }
        };
        t.setOnSucceeded(e -> restarted(next, t.getValue()));
        t.setOnFailed(e -> {
            applyButton.setDisable(false);
            fail(Problems.describe(t.getException()));
        });
        ctx.background().runVisible(t);
    }

    private void restarted(ConsoleSettings next, GatewayHost.Restart r) {
        applyButton.setDisable(false);
        ctx.changed();
        ctx.reloadTenants();
        if (!r.applied()) {
            fail(r.message());
            return;
        }
        ctx.settingsApplied(next);
        GatewayHost.Status s = r.status();
        result.setText("Saved. The gateway restarted and listens on " + s.httpUrl() + (s.httpsUrl() == null ? "" : " and " + s.httpsUrl()) + ".");
        result.getStyleClass().setAll("label", "ok-text");
        revertFieldsOnly(next);
    }

    private void revertFieldsOnly(ConsoleSettings s) {
        httpPortField.setText(Integer.toString(s.httpPort()));
        httpsPortField.setText(Integer.toString(s.httpsPort()));
    }

    private void fail(String message) {
        result.setText(message);
        result.getStyleClass().setAll("label", "error-text");
    }

    private static int port(TextField f, String name) {
        try {
            return Integer.parseInt(f.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The " + name + " port must be a number" + (name.equals("HTTPS") ? " (-1 turns HTTPS off)." : "."));
        }
    }
}
