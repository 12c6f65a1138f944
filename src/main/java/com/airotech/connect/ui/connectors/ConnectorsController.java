package com.airotech.connect.ui.connectors;

import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.GatewayUrls;
import com.airotech.connect.ui.common.ScreenController;
import java.time.Duration;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.FilteredList;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The tenant's connectors: register (wizard + show-once), rotate with a live grace, revoke. */
public final class ConnectorsController implements ScreenController {
    private final ConsoleContext ctx;
    private final ConnectorsModel model;
    private String selectedId;

    @FXML private TableView<ConnectorsModel.Row> table;
    @FXML private TableColumn<ConnectorsModel.Row, String> nameColumn;
    @FXML private TableColumn<ConnectorsModel.Row, String> methodColumn;
    @FXML private TableColumn<ConnectorsModel.Row, String> statusColumn;
    @FXML private TableColumn<ConnectorsModel.Row, String> lastEventColumn;
    @FXML private TableColumn<ConnectorsModel.Row, String> rotationColumn;
    @FXML private Button registerButton;
    @FXML private Button rotateButton;
    @FXML private Button revokeButton;
    @FXML private TextField search;
    @FXML private CheckBox showRevoked;
    @FXML private VBox details;
    @FXML private Label noSelection;
    @FXML private Label detailName;
    @FXML private Label detailId;
    @FXML private Label detailMethod;
    @FXML private Label detailUrl;
    @FXML private Label detailTypes;
    @FXML private Label detailGrace;
    @FXML private Label detailSha;
    @FXML private Label detailCreated;
    @FXML private Label detailLastEvent;
    @FXML private VBox graceBox;
    @FXML private Label graceCountdown;
    @FXML private ProgressBar graceProgress;
    @FXML private Label graceUses;

    public ConnectorsController(ConsoleContext ctx) {
        this.ctx = ctx;
        this.model = new ConnectorsModel(ctx);
    }

    @FXML
    private void initialize() {
        FilteredList<ConnectorsModel.Row> filtered = new FilteredList<>(model.rows());
        filtered.predicateProperty().bind(Bindings.createObjectBinding(() -> r -> {
            if (!showRevoked.isSelected() && !r.connector().active()) return false;
            String q = search.getText().strip().toLowerCase();
            return q.isEmpty() || r.connector().systemName().toLowerCase().contains(q) || r.connector().connectorId().contains(q);
        }, search.textProperty(), showRevoked.selectedProperty()));
        table.setItems(filtered);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().connector().systemName()));
        methodColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(MethodGuide.shortName(c.getValue().connector().authMethod())));
        // time-dependent columns follow the console's one-second tick (cells update in place)
        statusColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> model.status(c.getValue()), ctx.tick()));
        lastEventColumn.setCellValueFactory(c -> Bindings.createStringBinding(
                () -> Formats.ago(model.lastEvent(c.getValue()), ctx.clock().instant()), ctx.tick()));
        rotationColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> model.rotation(c.getValue()), ctx.tick()));

        var selected = table.getSelectionModel().selectedItemProperty();
        var activeSelected = Bindings.createBooleanBinding(() -> selected.get() != null && selected.get().connector().active(), selected);
        rotateButton.disableProperty().bind(activeSelected.not());
        revokeButton.disableProperty().bind(activeSelected.not());
        registerButton.disableProperty().bind(ctx.activeTenant().isNull());
        details.visibleProperty().bind(selected.isNotNull());
        noSelection.visibleProperty().bind(selected.isNull());
        selected.addListener((o, was, now) -> {
            if (now != null) selectedId = now.connector().connectorId();
            showDetails();
        });
        // a reload replaces the rows: keep the operator's selection on the same connector
        model.rows().addListener((javafx.collections.ListChangeListener<ConnectorsModel.Row>) ch -> reselect());

        ctx.activeTenant().addListener((o, was, t) -> model.reload());
        ctx.changes().addListener((o, was, n) -> model.reload());
        ctx.tick().addListener((o, was, n) -> everySecond());
    }

    @Override
    public void shown() { model.reload(); }

    private void reselect() {
        if (selectedId == null) return;
        table.getItems().stream().filter(r -> r.connector().connectorId().equals(selectedId)).findFirst()
                .ifPresent(r -> table.getSelectionModel().select(r));
    }

    private void everySecond() {
        if (table.getScene() == null) return;
        // a grace that just ended changes the connector's state: read it again
        boolean ended = model.rows().stream().anyMatch(r -> r.connector().previousValidUntil() != null && model.graceLeft(r.connector()) == null);
        if (ended) model.reload();
        showDetails();
    }

    private void showDetails() {
        ConnectorsModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        Connector c = r.connector();
        detailName.setText(c.systemName());
        detailId.setText(c.connectorId());
        detailMethod.setText(MethodGuide.of(c.authMethod()) == null ? c.authMethod().wire() : MethodGuide.of(c.authMethod()).title());
        String https = ctx.gatewayStatus().get() == null ? null : ctx.gatewayStatus().get().httpsUrl();
        String base = c.authMethod() == com.airotech.connect.connector.AuthMethod.MTLS && https != null ? https : GatewayUrls.baseUrl(ctx);
        detailUrl.setText(base + "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId());
        detailTypes.setText(c.eventTypes() == null ? "any" : String.join(", ", c.eventTypes()));
        detailGrace.setText(c.graceSeconds() + " s");
        detailSha.setText(c.credentialSha256() == null ? "—" : c.credentialSha256());
        detailCreated.setText(Formats.time(c.createdAt()));
        detailLastEvent.setText(Formats.ago(model.lastEvent(r), ctx.clock().instant()));
        Duration left = model.graceLeft(c);
        graceBox.setVisible(left != null && c.active());
        graceBox.setManaged(graceBox.isVisible());
        if (left != null) {
            graceCountdown.setText("The previous credential stops working in " + Formats.countdown(left));
            graceProgress.setProgress(c.graceSeconds() == 0 ? 0 : Math.min(1, left.toMillis() / (c.graceSeconds() * 1000.0)));
            long uses = ctx.feed().previousCredentialUses(c.tenantId(), c.connectorId());
            graceUses.setText(uses < 0 ? "" : uses == 0 ? "No request has used the previous credential since the rotation."
                    : Formats.count(uses, "request", "requests") + " still arrived with the previous credential: update that site gateway.");
        }
    }

    @FXML
    private void register() {
        Dialogs.Opened<RegisterConnectorController> d = Dialogs.modal(ctx, FxmlView.REGISTER_CONNECTOR, "Register a connector");
        d.controller().start(d.stage(), model);
        d.stage().show();
    }

    @FXML
    private void rotate() {
        ConnectorsModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        Dialogs.Opened<RotateController> d = Dialogs.modal(ctx, FxmlView.ROTATE, "Rotate credential");
        d.controller().start(d.stage(), model, r.connector());
        d.stage().show();
    }

    @FXML
    private void revoke() {
        ConnectorsModel.Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) return;
        Connector c = r.connector();
        ButtonType revoke = new ButtonType("Revoke", ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Every request with " + c.systemName() + "'s credentials is refused from now on, "
                + "including a previous credential in its grace. This cannot be undone: the site gateway needs a new registration.",
                ButtonType.CANCEL, revoke);
        a.setTitle("Revoke connector");
        a.setHeaderText("Revoke " + c.systemName() + "?");
        if (ctx.window() != null) a.initOwner(ctx.window());
        a.getDialogPane().lookupButton(revoke).getStyleClass().add("danger");
        a.getDialogPane().lookupButton(revoke).setId("confirmRevoke");
        a.getDialogPane().setPrefWidth(520);
        Optional<ButtonType> answer = a.showAndWait();
        if (answer.isEmpty() || answer.get() != revoke) return;
        Principal p = ctx.principal();
        ctx.background().call(() -> model.revoke(p, c.connectorId()), x -> {
            ctx.notifySuccess(c.systemName() + " is revoked; its credentials no longer work.");
            ctx.changed();
        }, ctx::failed);
    }

    /** Called by the rotate dialog once a rotation is done. */
    void rotated(ConnectorService.Rotation r) { ctx.changed(); }
}
