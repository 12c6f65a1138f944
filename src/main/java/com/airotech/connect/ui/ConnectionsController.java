package com.airotech.connect.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Outbound connections: building-management gateways over basic or mTLS with a probe, the AWS
 * cross-account wizard ({@link FxmlView#AWS_WIZARD}), OAuth2 consent ({@link FxmlView#OAUTH2_CONNECT}),
 * staged rotation ({@link FxmlView#STAGED_ROTATION}), and {@code reauth_required} in red with a
 * reconnect action. It joins the navigation ({@link Screen}) with the connection runtime and the
 * secret store, whose services these actions delegate to.
 */
public final class ConnectionsController implements ScreenController {
    private final ConsoleContext ctx;

    @FXML private TableView<Object> table;
    @FXML private TableColumn<Object, String> nameColumn;
    @FXML private TableColumn<Object, String> kindColumn;
    @FXML private TableColumn<Object, String> urlColumn;
    @FXML private TableColumn<Object, String> statusColumn;
    @FXML private TableColumn<Object, String> checkedColumn;
    @FXML private Button addButton;
    @FXML private Button awsButton;
    @FXML private Button oauthButton;
    @FXML private Button probeButton;
    @FXML private Button rotateButton;

    public ConnectionsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        probeButton.disableProperty().bind(none);
        rotateButton.disableProperty().bind(none);
    }
}
