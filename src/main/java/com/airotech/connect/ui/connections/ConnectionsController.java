package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.AwsSetup;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.TooltipCell;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;

/**
 * Outbound connections: building-management gateways over basic or mTLS with a probe, the AWS
 * cross-account wizard, OAuth2 consent, staged rotation, and {@code reauth_required} in red with a
 * reconnect action. Every action delegates to the platform's ConnectionService.
 */
public final class ConnectionsController implements ScreenController {
    private final ConsoleContext ctx;
    private final ObservableList<Connection> rows = FXCollections.observableArrayList();
    private String selectedId;

    @FXML private TableView<Connection> table;
    @FXML private TableColumn<Connection, String> nameColumn;
    @FXML private TableColumn<Connection, String> kindColumn;
    @FXML private TableColumn<Connection, String> urlColumn;
    @FXML private TableColumn<Connection, String> statusColumn;
    @FXML private TableColumn<Connection, String> checkedColumn;
    @FXML private Button addButton;
    @FXML private Button awsButton;
    @FXML private Button oauthButton;
    @FXML private Button probeButton;
    @FXML private Button rotateButton;
    @FXML private Button reconnectButton;
    @FXML private Label reauthBanner;
    @FXML private Label noSelection;
    @FXML private ScrollPane detailsScroll;
    @FXML private VBox details;
    @FXML private Label detailName;
    @FXML private Label detailStatus;
    @FXML private Label detailText;
    @FXML private Label detailId;
    @FXML private Label detailKind;
    @FXML private Label detailUrl;
    @FXML private Label detailStore;
    @FXML private Label detailVersion;
    @FXML private Label detailProbe;
    @FXML private VBox awsBox;
    @FXML private TextField detailExternalId;
    @FXML private TextArea detailTrustPolicy;

    public ConnectionsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        table.setItems(rows);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        kindColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(MaterialForm.kindName(c.getValue().kind())));
        urlColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().baseUrl() == null ? "AWS " + region(c.getValue()) : c.getValue().baseUrl()));
        urlColumn.setCellFactory(col -> new TooltipCell<>());
        statusColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(statusText(c.getValue().status())));
        statusColumn.setCellFactory(col -> new StatusCell());
        checkedColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> Formats.ago(c.getValue().lastProbeAt(), ctx.clock().instant()), ctx.tick()));

        var selected = table.getSelectionModel().selectedItemProperty();
        probeButton.disableProperty().bind(selected.isNull());
        rotateButton.disableProperty().bind(Bindings.createBooleanBinding(() -> selected.get() == null || selected.get().kind() == ConnectionKind.NONE, selected));
        reconnectButton.visibleProperty().bind(Bindings.createBooleanBinding(() -> needsConsent(selected.get()), selected));
        reconnectButton.managedProperty().bind(reconnectButton.visibleProperty());
        var noTenant = ctx.activeTenant().isNull();
        addButton.disableProperty().bind(noTenant);
        awsButton.disableProperty().bind(noTenant);
        oauthButton.disableProperty().bind(noTenant);
        detailsScroll.visibleProperty().bind(selected.isNotNull());
        noSelection.visibleProperty().bind(selected.isNull());
        selected.addListener((o, was, now) -> {
            if (now != null) selectedId = now.connectionId();
            showDetails(now);
        });
        show(reauthBanner, false);
        ctx.activeTenant().addListener((o, was, t) -> reload());
        ctx.changes().addListener((o, was, n) -> reload());
    }

    @Override
    public void shown() { reload(); }

    /** An oauth2 connection that needs the operator's consent: refused refresh, or never given. */
    static boolean needsConsent(Connection c) {
        if (c == null || !c.needsConsentToConnect()) return false;
        return c.status() == ConnectionStatus.REAUTH_REQUIRED || (c.status() == ConnectionStatus.PENDING && c.currentVersion() != null);
    }

    static String statusText(ConnectionStatus s) {
        return switch (s) {
            case HEALTHY -> "Healthy";
            case UNHEALTHY -> "Unhealthy";
            case PENDING -> "Pending";
            case REAUTH_REQUIRED -> "Reauth required";
        };
    }

    private static String region(Connection c) { return c.awsRegion() == null ? "(default region)" : c.awsRegion(); }

    private static void show(javafx.scene.Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    private void reload() {
        Principal p = ctx.principal();
        if (p == null) {
            loaded(List.of());
            return;
        }
        ctx.background().call(() -> ctx.platform().connections().list(p), this::loaded, ctx::failed);
    }

    private void loaded(List<Connection> list) {
        String keep = selectedId;
        rows.setAll(list);
        if (keep != null) rows.stream().filter(c -> c.connectionId().equals(keep)).findFirst().ifPresent(c -> table.getSelectionModel().select(c));
        long reauth = list.stream().filter(c -> c.status() == ConnectionStatus.REAUTH_REQUIRED).count();
        show(reauthBanner, reauth > 0);
        reauthBanner.setText(reauth == 0 ? "" : Formats.count(reauth, "connection needs", "connections need")
                + " consent again: calls over " + (reauth == 1 ? "it" : "them") + " fail until it is given. Select it and choose Reconnect… to open the vendor's consent page.");
    }

    private void showDetails(Connection c) {
        if (c == null) return;
        detailName.setText(c.name());
        detailStatus.setText(statusText(c.status()));
        detailStatus.getStyleClass().setAll("label", switch (c.status()) {
            case HEALTHY -> "ok-text";
            case PENDING -> "warn-text";
            default -> "error-text";
        });
        detailText.setText(ConnectionWords.detail(c.statusDetail()));
        detailId.setText(c.connectionId());
        detailKind.setText(MaterialForm.kindName(c.kind()));
        detailUrl.setText(c.baseUrl() == null ? "AWS, " + region(c) : c.baseUrl() + (c.probePath() == null ? "" : "  (probe " + c.probePath() + ")"));
        detailStore.setText(c.secretBackend().startsWith("aws:") ? "AWS Secrets Manager, " + c.secretBackend().substring(4) : "Local, sealed in the data directory");
        detailVersion.setText(c.currentVersion() == null ? "none yet" : "version " + c.currentVersion() + " in force");
        detailProbe.setText(c.lastProbeAt() == null ? "never" : Formats.time(c.lastProbeAt()));
        boolean aws = c.kind() == ConnectionKind.AWS_IAM;
        show(awsBox, aws);
        if (aws) {
            detailExternalId.setText(c.externalId() == null ? "" : c.externalId());
            var trust = AwsSetup.trustPolicy(c);
            detailTrustPolicy.setText(trust == null ? "" : trust.toPrettyString());
        }
    }

    private Connection selected() { return table.getSelectionModel().getSelectedItem(); }

    @FXML
    private void addBms() {
        Dialogs.Opened<AddBmsController> d = Dialogs.modal(ctx, FxmlView.ADD_BMS, "Add a building-management gateway");
        d.controller().start(d.stage());
        d.stage().show();
    }

    @FXML
    private void connectAws() {
        Dialogs.Opened<AwsWizardController> d = Dialogs.modal(ctx, FxmlView.AWS_WIZARD, "Connect an AWS account");
        d.controller().start(d.stage());
        Connection c = selected();
        // a selected aws_iam connection without a role yet: the wizard continues with it
        if (c != null && c.kind() == ConnectionKind.AWS_IAM && c.currentVersion() == null) d.controller().resume(c);
        d.stage().show();
    }

    @FXML
    private void connectOAuth2() {
        Dialogs.Opened<OAuth2ConnectController> d = Dialogs.modal(ctx, FxmlView.OAUTH2_CONNECT, "Connect with OAuth2");
        d.controller().start(d.stage());
        d.stage().show();
    }

    @FXML
    private void reconnect() {
        Connection c = selected();
        if (c == null) return;
        Dialogs.Opened<OAuth2ConnectController> d = Dialogs.modal(ctx, FxmlView.OAUTH2_CONNECT, "Give consent again");
        d.controller().start(d.stage());
        d.controller().reconnect(c);
        d.stage().show();
    }

    @FXML
    private void probe() {
        Connection c = selected();
        if (c == null) return;
        Principal p = ctx.principal();
        probeButton.disableProperty().unbind();
        probeButton.setDisable(true);
        ctx.notifyInfo("Probing " + c.name() + "…");
        ctx.background().call(() -> ctx.platform().connections().probe(p, c.connectionId()), (ProbeResult r) -> {
            probeButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
            if (r.healthy()) ctx.notifySuccess(c.name() + " is healthy: " + ConnectionWords.detail(r.detail()));
            else if (r.status() == ConnectionStatus.REAUTH_REQUIRED) ctx.notifyError(c.name() + " needs consent again: the vendor no longer accepts "
                    + "its tokens. Choose Reconnect… to open the vendor's consent page.");
            else ctx.notifyError(c.name() + " is " + r.status().wire() + ": " + ConnectionWords.detail(r.detail()));
            ctx.changed();
        }, e -> {
            probeButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
            ctx.failed(e);
        });
    }

    @FXML
    private void rotate() {
        Connection c = selected();
        if (c == null) return;
        Dialogs.Opened<StagedRotationController> d = Dialogs.modal(ctx, FxmlView.STAGED_ROTATION, "Rotate credential");
        d.controller().start(d.stage(), c);
        d.stage().show();
    }

    @FXML private void copyExternalId() { copy(detailExternalId.getText(), "External id copied."); }

    @FXML private void copyTrustPolicy() { copy(detailTrustPolicy.getText(), "Trust policy copied."); }

    private void copy(String text, String message) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        ctx.notifyInfo(message);
    }

    /** Status in its colour: reauth_required and unhealthy in red, pending in amber. */
    private static final class StatusCell extends TableCell<Connection, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("cell-ok", "cell-warn", "cell-error");
            setText(empty ? null : item);
            Connection c = empty || getTableRow() == null ? null : getTableRow().getItem();
            if (c == null) return;
            getStyleClass().add(switch (c.status()) {
                case HEALTHY -> "cell-ok";
                case PENDING -> "cell-warn";
                default -> "cell-error";
            });
        }
    }
}
