package com.airotech.connect.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Site gateways that authenticate with a client certificate (mTLS) or basic authentication:
 * issue or sign a CSR, export the CA certificate and the client bundle, expiry warnings 30 days
 * ahead, revoke. The view is complete; it joins the navigation ({@link Screen}) together with the
 * local certificate authority, whose service these actions delegate to.
 */
public final class SiteGatewaysController implements ScreenController {
    static final int EXPIRY_WARNING_DAYS = 30;

    private final ConsoleContext ctx;

    @FXML private TableView<Object> table;
    @FXML private TableColumn<Object, String> nameColumn;
    @FXML private TableColumn<Object, String> methodColumn;
    @FXML private TableColumn<Object, String> expiresColumn;
    @FXML private TableColumn<Object, String> statusColumn;
    @FXML private Button issueButton;
    @FXML private Button signCsrButton;
    @FXML private Button exportCaButton;
    @FXML private Button exportBundleButton;
    @FXML private Button revokeButton;
    @FXML private Label caFingerprint;

    public SiteGatewaysController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        revokeButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        exportBundleButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
    }
}
