package com.airotech.connect.ui.sitegateways;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.GatewayUrls;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.TooltipCell;
import com.airotech.connect.ui.connectors.ConnectorsModel;
import com.airotech.connect.ui.connectors.MethodGuide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Site gateways that authenticate with a client certificate (mTLS) or basic authentication: issue
 * a certificate or sign a CSR, renew, export the CA certificate and the client bundle, expiry
 * warnings 30 days ahead, revoke.
 */
public final class SiteGatewaysController implements ScreenController {
    private final ConsoleContext ctx;
    private final ConnectorsModel connectors;
    private final ObservableList<SiteGatewaysModel.Row> rows = FXCollections.observableArrayList();
    private List<Connector> last = List.of();

    @FXML private TableView<SiteGatewaysModel.Row> table;
    @FXML private TableColumn<SiteGatewaysModel.Row, String> nameColumn;
    @FXML private TableColumn<SiteGatewaysModel.Row, String> methodColumn;
    @FXML private TableColumn<SiteGatewaysModel.Row, String> expiresColumn;
    @FXML private TableColumn<SiteGatewaysModel.Row, String> fingerprintColumn;
    @FXML private TableColumn<SiteGatewaysModel.Row, String> statusColumn;
    @FXML private Button issueButton;
    @FXML private Button signCsrButton;
    @FXML private Button renewButton;
    @FXML private Button exportCaButton;
    @FXML private Button exportBundleButton;
    @FXML private Button revokeButton;
    @FXML private Label caSubject;
    @FXML private Label caFingerprint;
    @FXML private Label caValidUntil;
    @FXML private Label expiryBanner;

    public SiteGatewaysController(ConsoleContext ctx) {
        this.ctx = ctx;
        this.connectors = new ConnectorsModel(ctx);
    }

    @FXML
    private void initialize() {
        table.setItems(rows);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().connector().systemName()));
        methodColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(MethodGuide.shortName(c.getValue().connector().authMethod())));
        expiresColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().expires()));
        fingerprintColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().connector().certificateSha256() == null ? "—"
                : Formats.fingerprint(c.getValue().connector().certificateSha256())));
        fingerprintColumn.getStyleClass().add("mono");
        fingerprintColumn.setCellFactory(col -> new TooltipCell<>());
        statusColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().status()));
        statusColumn.setCellFactory(col -> new LevelCell());
        expiresColumn.setCellFactory(col -> new LevelCell());
        var selected = table.getSelectionModel().selectedItemProperty();
        var none = selected.isNull();
        var noTenant = ctx.activeTenant().isNull();
        revokeButton.disableProperty().bind(none);
        exportBundleButton.disableProperty().bind(none);
        renewButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> selected.get() == null || selected.get().connector().authMethod() != AuthMethod.MTLS, selected));
        issueButton.disableProperty().bind(noTenant);
        signCsrButton.disableProperty().bind(noTenant);
        expiryBanner.setVisible(false);
        expiryBanner.setManaged(false);
        ctx.activeTenant().addListener((o, was, t) -> reload());
        ctx.changes().addListener((o, was, n) -> reload());
        // expiry states move with time: recomputed each minute while the screen is shown
        ctx.tick().addListener((o, was, n) -> { if (n.longValue() % 60 == 0 && table.getScene() != null) show(last); });
        showCa();
    }

    @Override
    public void shown() {
        showCa();
        reload();
    }

    private void showCa() {
        X509Certificate ca = ctx.platform().ca().certificate();
        caSubject.setText(ca.getSubjectX500Principal().getName());
        caFingerprint.setText(Formats.fingerprint(LocalCa.fingerprint(ca)));
        caValidUntil.setText(Formats.time(ca.getNotAfter().toInstant()));
    }

    private void reload() {
        Principal p = ctx.principal();
        if (p == null) {
            show(List.of());
            return;
        }
        ctx.background().call(() -> ctx.platform().connectors().list(p), this::show, ctx::failed);
    }

    private void show(List<Connector> list) {
        last = list;
        String selectedId = table.getSelectionModel().getSelectedItem() == null ? null : table.getSelectionModel().getSelectedItem().connector().connectorId();
        rows.setAll(SiteGatewaysModel.rows(list, ctx.clock().instant()));
        if (selectedId != null) rows.stream().filter(r -> r.connector().connectorId().equals(selectedId)).findFirst().ifPresent(r -> table.getSelectionModel().select(r));
        String banner = SiteGatewaysModel.banner(rows);
        expiryBanner.setText(banner == null ? "" : banner);
        expiryBanner.setVisible(banner != null);
        expiryBanner.setManaged(banner != null);
    }

    @FXML private void issue() { openIssue(null, false); }

    @FXML private void signCsr() { openIssue(null, true); }

    @FXML
    private void renew() {
        SiteGatewaysModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r != null) openIssue(r.connector(), false);
    }

    private void openIssue(Connector renew, boolean csr) {
        Dialogs.Opened<IssueCertificateController> d = Dialogs.modal(ctx, FxmlView.ISSUE_CERTIFICATE,
                renew != null ? "Renew client certificate" : csr ? "Sign a CSR" : "Issue client certificate");
        d.controller().start(d.stage(), connectors, renew, csr);
        d.stage().show();
    }

    @FXML
    private void exportCa() {
        Path f = ctx.files().save(ctx.window(), "Export the CA certificate", "airotech-ca.pem");
        if (f == null) return;
        String pem = ctx.platform().ca().certificatePem();
        ctx.background().call(() -> Files.writeString(f, pem, StandardCharsets.US_ASCII),
                x -> ctx.notifySuccess("The CA certificate is saved to " + f + ". Site gateways trust it for the HTTPS listener."), ctx::failed);
    }

    @FXML
    private void exportBundle() {
        SiteGatewaysModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        Connector c = r.connector();
        Path f = ctx.files().save(ctx.window(), "Export the client bundle of " + c.systemName(), MethodGuide.fileStem(c) + "-bundle.zip");
        if (f == null) return;
        LocalCa ca = ctx.platform().ca();
        GatewayUrls urls = GatewayUrls.of(ctx);
        ctx.background().call(() -> {
            DataDirectory.writeKeyFile(f.toAbsolutePath(), SiteGatewaysModel.bundle(c, ca.certificatePem(),
                    Formats.fingerprint(LocalCa.fingerprint(ca.certificate())), urls.http(), urls.https()));
            return f;
        }, x -> ctx.notifySuccess("The client bundle of " + c.systemName() + " is saved to " + f
                + " (CA certificate, ids, addresses and an example; no key or password)."), ctx::failed);
    }

    @FXML
    private void revoke() {
        SiteGatewaysModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        Connector c = r.connector();
        ButtonType revoke = new ButtonType("Revoke", ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, c.systemName() + (c.authMethod() == AuthMethod.MTLS
                ? "'s client certificate is refused from now on, including a previous one in its grace."
                : "'s password is refused from now on, including a previous one in its grace.")
                + " This cannot be undone: the site gateway needs a new registration.", ButtonType.CANCEL, revoke);
        a.setTitle("Revoke site gateway");
        a.setHeaderText("Revoke " + c.systemName() + "?");
        if (ctx.window() != null) a.initOwner(ctx.window());
        a.getDialogPane().lookupButton(revoke).getStyleClass().add("danger");
        a.getDialogPane().lookupButton(revoke).setId("confirmRevokeSite");
        a.getDialogPane().setPrefWidth(520);
        Optional<ButtonType> answer = a.showAndWait();
        if (answer.isEmpty() || answer.get() != revoke) return;
        Principal p = ctx.principal();
        ctx.background().call(() -> connectors.revoke(p, c.connectorId()), x -> {
            ctx.notifySuccess(c.systemName() + " is revoked; its credentials no longer work.");
            ctx.changed();
        }, ctx::failed);
    }

    /** A cell coloured by the row's certificate state. */
    private static final class LevelCell extends TableCell<SiteGatewaysModel.Row, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("cell-ok", "cell-warn", "cell-error");
            SiteGatewaysModel.Row r = empty || getTableRow() == null ? null : getTableRow().getItem();
            setText(empty ? null : item);
            if (r == null) return;
            switch (r.level()) {
                case OK -> getStyleClass().add("cell-ok");
                case WARN -> getStyleClass().add("cell-warn");
                case ERROR -> getStyleClass().add("cell-error");
                default -> { }
            }
        }
    }
}
