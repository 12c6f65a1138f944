package com.airotech.connect.ui;

import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
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
        activeColumn.setCellValueFactory(c -> Bindings.createStringBinding(
                () -> c.getValue().equals(ctx.activeTenant().get()) ? "active" : "", ctx.activeTenant()));
        table.setRowFactory(t -> {
            TableRow<Tenant> row = new TableRow<>();
            row.setOnMouseClicked(e -> { if (e.getClickCount() == 2 && !row.isEmpty()) ctx.activeTenant().set(row.getItem()); });
            return row;
        });
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
        String base = baseUrl(ctx);
        Dialogs.showOnce(ctx, new OneTimeSecret("Admin token of " + t.tenant().name(),
                "Scripts and other programs use this token to administer the tenant over the API (the console does not need it). "
                        + "It is shown only now; the gateway keeps only its SHA-256. Actions taken with it are recorded as '" + t.actorLabel() + "'.",
                "Admin token", t.adminToken(), com.airotech.connect.common.Crypto.sha256Hex(t.adminToken().bytes()),
                List.of(Map.entry("Tenant ID", t.tenant().tenantId()), Map.entry("Audit actor", t.actorLabel())),
                token -> ExampleScripts.adminToken(base, token)));
    }

    /** The address examples send to: the running gateway's, else the configured one. */
    static String baseUrl(ConsoleContext ctx) {
        String url = ctx.gatewayStatus().get() == null ? null : ctx.gatewayStatus().get().httpUrl();
        if (url != null) return url;
        var c = ctx.host().config();
        return "http://" + c.bind() + ":" + c.httpPort();
    }
}
