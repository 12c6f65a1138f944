package com.airotech.connect.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/**
 * The AWS cross-account handshake: the external id and trust policy to copy into the customer's
 * account, then the role ARN, then an AssumeRole test with progress and its precise result.
 */
public final class AwsWizardController {
    private final ConsoleContext ctx;

    @FXML private TextField nameField;
    @FXML private TextField regionField;
    @FXML private TextField externalIdField;
    @FXML private TextArea trustPolicyArea;
    @FXML private TextField roleArnField;
    @FXML private ProgressIndicator testProgress;
    @FXML private Label testResult;
    @FXML private Button testButton;

    public AwsWizardController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        testProgress.setVisible(false);
        testButton.disableProperty().bind(roleArnField.textProperty().isEmpty());
    }
}
