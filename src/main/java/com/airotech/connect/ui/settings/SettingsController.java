package com.airotech.connect.ui.settings;

import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.connection.AddressPolicy;
import com.airotech.connect.connection.OutboundSettings;
import com.airotech.connect.retention.RetentionService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Problems;
import com.airotech.connect.ui.common.ScreenController;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/**
 * Listener address and ports and Kafka (saved to the data directory, applied by restarting the
 * gateway), the active tenant's outbound connections: where new connections keep their credentials
 * and which targets they may reach (stored per tenant, audited, in force at once), and retention:
 * the tenant's days, the gateway's disk floor and audit retention (stored, audited, in force at the
 * next pruning round).
 */
public final class SettingsController implements ScreenController {
    private final ConsoleContext ctx;
    /** The tenant settings as read, to apply only what the operator changed. */
    private OutboundSettings outbound;
    /** Retention as read (the active tenant's, or the gateway's alone without a tenant). */
    private RetentionService.Policy retention;
    private RetentionService.Site site;

    @FXML private TextField bindField;
    @FXML private TextField httpPortField;
    @FXML private TextField httpsPortField;
    @FXML private TextField kafkaField;
    @FXML private TextField kafkaPropertiesField;
    @FXML private Label outboundTitle;
    @FXML private RadioButton storeLocal;
    @FXML private RadioButton storeAws;
    @FXML private TextField storeRegion;
    @FXML private TextArea networksArea;
    @FXML private Label retentionTitle;
    @FXML private TextField maxAgeField;
    @FXML private TextField floorField;
    @FXML private CheckBox auditPruneCheck;
    @FXML private TextField auditDaysField;
    @FXML private Label dataDirLabel;
    @FXML private Label fileLabel;
    @FXML private Label result;
    @FXML private Button applyButton;

    public SettingsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        storeRegion.disableProperty().bind(storeAws.selectedProperty().not());
        auditDaysField.disableProperty().bind(auditPruneCheck.selectedProperty().not());
        ctx.activeTenant().addListener((o, was, t) -> {
            loadOutbound();
            loadRetention();
        });
    }

    @Override
    public void shown() { revert(); }

    @FXML
    private void revert() {
        ConsoleSettings s = ctx.settings();
        bindField.setText(s.bind());
        httpPortField.setText(Integer.toString(s.httpPort()));
        httpsPortField.setText(Integer.toString(s.httpsPort()));
        kafkaField.setText(s.kafkaBootstrap() == null ? "" : s.kafkaBootstrap());
        kafkaPropertiesField.setText(s.kafkaProperties() == null ? "" : s.kafkaProperties());
        dataDirLabel.setText(ctx.dataDir().toString());
        fileLabel.setText(ConsoleSettings.file(ctx.dataDir()).toString());
        result.setText("");
        result.getStyleClass().setAll("label");
        loadOutbound();
        loadRetention();
    }

    private void loadRetention() {
        Tenant t = ctx.activeTenant().get();
        retentionTitle.setText(t == null ? "Retention" : "Retention (events of tenant " + t.name() + ")");
        maxAgeField.setDisable(t == null);
        ctx.background().call(() -> t == null ? null : ctx.platform().retention().policy(t.tenantId()), p -> {
            retention = p;
            maxAgeField.setText(p == null ? "" : Integer.toString(p.maxAgeDays()));
        }, ctx::failed);
        ctx.background().call(() -> ctx.platform().retention().site(), s -> {
            site = s;
            floorField.setText(Integer.toString(s.minFreeDiskPercent()));
            auditPruneCheck.setSelected(s.auditMaxAgeDays() != null);
            auditDaysField.setText(s.auditMaxAgeDays() == null ? "365" : Integer.toString(s.auditMaxAgeDays()));
        }, ctx::failed);
    }

    private void loadOutbound() {
        Tenant t = ctx.activeTenant().get();
        boolean tenant = t != null;
        outboundTitle.setText(tenant ? "Outbound connections of tenant " + t.name() : "Outbound connections (choose a tenant first)");
        storeLocal.setDisable(!tenant);
        storeAws.setDisable(!tenant);
        networksArea.setDisable(!tenant);
        if (!tenant) {
            outbound = null;
            return;
        }
        ctx.background().call(() -> ctx.platform().connections().settings(t.tenantId()), o -> {
            outbound = o;
            (o.secretBackend().equals("aws") ? storeAws : storeLocal).setSelected(true);
            storeRegion.setText(o.awsRegion() == null ? "" : o.awsRegion());
            networksArea.setText(String.join("\n", o.policy().rules()));
        }, ctx::failed);
    }

    @FXML
    private void chooseKafkaProperties() {
        Path f = ctx.files().open(ctx.window(), "Choose the Kafka client properties file");
        if (f != null) kafkaPropertiesField.setText(f.toString());
    }

    @FXML
    private void apply() {
        ConsoleSettings current = ctx.settings();
        ConsoleSettings next;
        try {
            next = new ConsoleSettings(bindField.getText(), port(httpPortField, "HTTP"), port(httpsPortField, "HTTPS"), kafkaField.getText(),
                    current.outboundAllowedNetworks(), current.activeTenantId(), kafkaPropertiesField.getText());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        boolean restart = next.needsRestartComparedTo(current);
        Principal p = ctx.principal();
        RetentionChange retentionChange;
        try {
            retentionChange = retentionChange();
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        OutboundSettings before = outbound;
        List<String> rules = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(networksArea.getText().split("\\R"))
                .map(String::strip).filter(x -> !x.isEmpty()).toList()));
        String backend = storeAws.isSelected() ? "aws" : "local";
        String region = storeRegion.getText().isBlank() ? null : storeRegion.getText().strip();
        applyButton.setDisable(true);
        result.setText(restart ? "Restarting the gateway…" : "Saving…");
        result.getStyleClass().setAll("label", "muted");
        Task<GatewayHost.Restart> t = new Task<>() {
            @Override
            protected GatewayHost.Restart call() {
                updateTitle(restart ? "Restarting the gateway with the new settings" : "Saving the settings");
                updateProgress(-1, 1);
                if (p != null && before != null) applyOutbound(p, before, rules, backend, region);
                applyRetention(p, retentionChange);
                if (!restart) return null;
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

    /** The tenant's outbound settings: only what changed is written (each change is audited). */
    private void applyOutbound(Principal p, OutboundSettings before, List<String> rules, String backend, String region) {
        List<String> normalized = rules.stream().map(AddressPolicy::validateRule).toList();
        List<String> old = before.policy().rules();
        List<String> remove = old.stream().filter(r -> !normalized.contains(r)).toList();
        List<String> allow = normalized.stream().filter(r -> !old.contains(r)).toList();
        if (!remove.isEmpty() || !allow.isEmpty()) ctx.platform().connections().changePolicy(p, allow, remove, false);
        if (!backend.equals(before.secretBackend()) || !Objects.equals(before.awsRegion(), "aws".equals(backend) ? region : null)) {
            ctx.platform().connections().chooseSecretStore(p, backend, region);
        }
    }

    /** What the operator changed in the retention fields (null fields: unchanged). */
    private record RetentionChange(Integer maxAgeDays, RetentionService.SiteChange site) {}

    private RetentionChange retentionChange() {
        Integer days = null;
        if (retention != null) {
            int d = number(maxAgeField, "Keep events for");
            if (d != retention.maxAgeDays()) days = d;
        }
        if (site == null) return new RetentionChange(days, new RetentionService.SiteChange(null, null, false));
        int floor = number(floorField, "The disk floor");
        Integer audit = auditPruneCheck.isSelected() ? number(auditDaysField, "The audit trail's days") : null;
        boolean auditChanged = !Objects.equals(audit, site.auditMaxAgeDays());
        try {
            return new RetentionChange(days, new RetentionService.SiteChange(floor == site.minFreeDiskPercent() ? null : floor,
                    auditChanged ? audit : null, auditChanged && audit == null));
        } catch (com.airotech.connect.common.ApiException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The operator at the console acts for the gateway (its floor and audit retention) and for the active tenant; each change is audited. */
    private void applyRetention(Principal p, RetentionChange c) {
        ctx.platform().retention().setSite(Principal.localActor(), c.site());
        if (p != null && c.maxAgeDays() != null) ctx.platform().retention().setMaxAgeDays(p, c.maxAgeDays());
    }

    private static int number(TextField f, String what) {
        try {
            return Integer.parseInt(f.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number.");
        }
    }

    private void restarted(ConsoleSettings next, GatewayHost.Restart r) {
        applyButton.setDisable(false);
        ctx.changed();
        loadOutbound();
        loadRetention();
        if (r == null) {
            result.setText("Saved. The gateway kept running: nothing changed that needs a restart.");
            result.getStyleClass().setAll("label", "ok-text");
            return;
        }
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
