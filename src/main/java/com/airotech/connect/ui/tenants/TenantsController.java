package com.airotech.connect.ui.tenants;

import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.ExampleScripts;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.GatewayUrls;
import com.airotech.connect.ui.common.OneTimeSecret;
import com.airotech.connect.ui.common.Problems;
import com.airotech.connect.ui.common.ScreenController;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;

/** Create tenants (admin token shown once) and choose the one the console works on. */
public final class TenantsController implements ScreenController {
    private final ConsoleContext ctx;
    private final javafx.beans.property.BooleanProperty busy = new javafx.beans.property.SimpleBooleanProperty();

    @FXML private TableView<Tenant> table;
    @FXML private TableColumn<Tenant, String> nameColumn;
    @FXML private TableColumn<Tenant, String> idColumn;
    @FXML private TableColumn<Tenant, String> createdColumn;
    @FXML private TableColumn<Tenant, String> activeColumn;
    @FXML private Button useButton;
    @FXML private Button rotateTokenButton;
    @FXML private Button revokeTokensButton;
    @FXML private Button disableButton;
    @FXML private TextField nameField;
    @FXML private TextField actorField;
    @FXML private Button createButton;
    @FXML private Label createError;

    public TenantsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        table.setItems(ctx.tenants());
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().tenantId()));
        createdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.time(c.getValue().createdAt())));
        activeColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> {
            boolean active = ctx.activeTenant().get() != null && c.getValue().tenantId().equals(ctx.activeTenant().get().tenantId());
            return active && c.getValue().disabled() ? "active, disabled" : active ? "active" : c.getValue().disabled() ? "disabled" : "";
        }, ctx.activeTenant()));
        table.setRowFactory(t -> {
            TableRow<Tenant> row = new TableRow<>();
            row.setOnMouseClicked(e -> { if (e.getClickCount() == 2 && !row.isEmpty()) ctx.activeTenant().set(row.getItem()); });
            return row;
        });
        var selected = table.getSelectionModel().selectedItemProperty();
        rotateTokenButton.disableProperty().bind(selected.isNull().or(busy));
        revokeTokensButton.disableProperty().bind(selected.isNull().or(busy));
        disableButton.disableProperty().bind(selected.isNull().or(busy));
        disableButton.textProperty().bind(Bindings.createStringBinding(
                () -> selected.get() != null && selected.get().disabled() ? "Enable" : "Disable…", selected));
        useButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(Bindings.equal(table.getSelectionModel().selectedItemProperty(), ctx.activeTenant())));
        createButton.disableProperty().bind(nameField.textProperty().isEmpty().or(busy));
        nameField.textProperty().addListener((o, was, now) -> actorField.setPromptText(now.isBlank() ? "admin@NAME" : "admin@" + now.strip()));
    }

    @Override
    public void shown() { ctx.reloadTenants(); }

    @FXML
    private void useSelected() { ctx.activeTenant().set(table.getSelectionModel().getSelectedItem()); }

    @FXML
    private void create() {
        String name = nameField.getText().strip();
        String actor = actorField.getText().isBlank() ? null : actorField.getText().strip();
        createError.setText("");
        busy.set(true);
        ctx.background().call(() -> ctx.platform().tenants().create(name, actor, Principal.localActor()), t -> {
            busy.set(false);
            created(t);
        }, e -> {
            busy.set(false);
            createError.setText(Problems.describe(e));
        });
    }

    private void created(CreatedTenant t) {
        nameField.clear();
        actorField.clear();
        ctx.tenants().add(t.tenant());
        ctx.activeTenant().set(t.tenant());
        ctx.changed();
        ctx.notifySuccess("Tenant " + t.tenant().name() + " created; it is now the active tenant.");
        String base = GatewayUrls.baseUrl(ctx);
        Dialogs.showOnce(ctx, new OneTimeSecret("Admin token of " + t.tenant().name(),
                "Scripts and other programs use this token to administer the tenant over the API (the console does not need it). "
                        + "It is shown only now; the gateway keeps only its SHA-256. Actions taken with it are recorded as '" + t.actorLabel() + "'.",
                "Admin token", t.adminToken(), com.airotech.connect.common.Crypto.sha256Hex(t.adminToken().bytes()),
                List.of(Map.entry("Tenant ID", t.tenant().tenantId()), Map.entry("Audit actor", t.actorLabel())),
                token -> ExampleScripts.adminToken(base, token)));
    }

    /** A new admin token for the selected tenant, shown once; the previous one keeps working for 60 s. */
    @FXML
    private void rotateToken() {
        Tenant t = table.getSelectionModel().getSelectedItem();
        if (t == null) return;
        busy.set(true);
        ctx.background().call(() -> ctx.platform().tenants().rotateAdminToken(t.tenantId(), null, Principal.localActor()), r -> {
            busy.set(false);
            ctx.notifySuccess("New admin token for " + t.name() + "; the previous one works until " + Formats.clock(r.previousValidUntil()) + ".");
            String base = GatewayUrls.baseUrl(ctx);
            Dialogs.showOnce(ctx, new OneTimeSecret("New admin token of " + t.name(),
                    "Give it to the scripts that administer this tenant now: the previous token keeps working until "
                            + Formats.time(r.previousValidUntil()) + ", then it is refused. It is shown only now; the gateway keeps only its SHA-256.",
                    "Admin token", r.adminToken(), com.airotech.connect.common.Crypto.sha256Hex(r.adminToken().bytes()),
                    List.of(Map.entry("Tenant ID", t.tenantId()), Map.entry("Audit actor", r.actorLabel()),
                            Map.entry("Previous token valid until", Formats.time(r.previousValidUntil()))),
                    token -> ExampleScripts.adminToken(base, token)));
        }, e -> {
            busy.set(false);
            ctx.failed(e);
        });
    }

    /** Ends every admin token of the selected tenant at once (a leaked token), after a confirmation. */
    @FXML
    private void revokeTokens() {
        Tenant t = table.getSelectionModel().getSelectedItem();
        if (t == null) return;
        if (!confirm("revokeTokens", "Revoke admin tokens", "Revoke every admin token of " + t.name() + "?",
                "Scripts using them are refused from now on, including a token still in a rotation's grace. Issue a new one afterwards with"
                        + " Rotate admin token.", "Revoke")) return;
        busy.set(true);
        ctx.background().call(() -> ctx.platform().tenants().revokeAdminTokens(t.tenantId(), Principal.localActor()), n -> {
            busy.set(false);
            ctx.notifySuccess(Formats.count(n, "admin token", "admin tokens") + " of " + t.name() + " revoked. Rotate to issue a new one.");
        }, e -> {
            busy.set(false);
            ctx.failed(e);
        });
    }

    /** Disables the selected tenant (after a confirmation), or enables it again. */
    @FXML
    private void toggleDisabled() {
        Tenant t = table.getSelectionModel().getSelectedItem();
        if (t == null) return;
        boolean disable = !t.disabled();
        if (disable && !confirm("disableTenant", "Disable tenant", "Disable " + t.name() + "?",
                "Its admin tokens and every connector's requests are refused (and audited) until you enable it again. Nothing is deleted.",
                "Disable")) return;
        busy.set(true);
        ctx.background().call(() -> ctx.platform().tenants().setDisabled(t.tenantId(), disable, Principal.localActor()), now -> {
            busy.set(false);
            int i = ctx.tenants().indexOf(t);
            if (i >= 0) ctx.tenants().set(i, now);
            if (ctx.activeTenant().get() != null && ctx.activeTenant().get().tenantId().equals(now.tenantId())) ctx.activeTenant().set(now);
            table.getSelectionModel().select(now);
            ctx.changed();
            ctx.notifySuccess(t.name() + (disable ? " is disabled: its tokens and connectors are refused." : " is enabled again."));
        }, e -> {
            busy.set(false);
            ctx.failed(e);
        });
    }

    private boolean confirm(String id, String title, String header, String text, String action) {
        javafx.scene.control.ButtonType ok = new javafx.scene.control.ButtonType(action, javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION, text,
                javafx.scene.control.ButtonType.CANCEL, ok);
        a.setTitle(title);
        a.setHeaderText(header);
        if (ctx.window() != null) a.initOwner(ctx.window());
        a.getDialogPane().lookupButton(ok).getStyleClass().add("danger");
        a.getDialogPane().lookupButton(ok).setId("confirm-" + id);
        a.getDialogPane().setPrefWidth(520);
        return a.showAndWait().filter(b -> b == ok).isPresent();
    }
}
