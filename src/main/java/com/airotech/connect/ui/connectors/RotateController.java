package com.airotech.connect.ui.connectors;

import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.stage.Stage;

/** Confirms a rotation and its grace; the new credential then appears in the show-once dialog. */
public final class RotateController {
    private final ConsoleContext ctx;
    private Stage stage;
    private ConnectorsModel model;
    private Connector connector;

    @FXML private Label heading;
    @FXML private Spinner<Integer> graceSpinner;
    @FXML private Label error;
    @FXML private Button rotateButton;
    @FXML private javafx.scene.layout.VBox keyBox;
    @FXML private Label keyLabel;
    @FXML private javafx.scene.control.TextArea keyArea;
    @FXML private Label keyHelp;
    @FXML private javafx.scene.layout.HBox daysRow;
    @FXML private Spinner<Integer> daysSpinner;
    private KeyInput keyInput;

    public RotateController(ConsoleContext ctx) { this.ctx = ctx; }

    void start(Stage stage, ConnectorsModel model, Connector c) {
        this.stage = stage;
        this.model = model;
        this.connector = c;
        heading.setText("Rotate the credential of " + c.systemName());
        graceSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, RegistrationRequest.MAX_GRACE_SECONDS, c.graceSeconds(), 30));
        graceSpinner.setEditable(true);
        keyInput = new KeyInput(ctx, keyBox, keyLabel, keyArea, keyHelp, daysRow, daysSpinner);
        keyInput.show(c.authMethod());
        stage.sizeToScene();
    }

    @FXML private void loadKey() { keyInput.load(); }

    @FXML private void cancel() { stage.close(); }

    @FXML
    private void rotate() {
        error.setText("");
        try {
            graceSpinner.commitValue();
        } catch (RuntimeException e) {
            error.setText("The grace is a number of seconds between 0 and " + RegistrationRequest.MAX_GRACE_SECONDS + ".");
            return;
        }
        int grace = graceSpinner.getValue();
        com.airotech.connect.connector.CredentialOptions options;
        try {
            options = keyInput.options();
        } catch (RuntimeException e) {
            error.setText(Problems.describe(e));
            return;
        }
        Principal p = ctx.principal();
        rotateButton.setDisable(true);
        ctx.background().call(() -> model.rotate(p, connector.connectorId(), grace, options), this::rotated, e -> {
            rotateButton.setDisable(false);
            error.setText(Problems.describe(e));
        });
    }

    private void rotated(ConnectorService.Rotation r) {
        stage.close();
        ctx.changed();
        Dialogs.showOnce(ctx, model.oneTime(r.connector(), r.issued(), true, r.previousValidUntil()));
    }
}
