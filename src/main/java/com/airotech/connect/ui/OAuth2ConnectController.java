package com.airotech.connect.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;

/** OAuth2 consent: opens the system browser at the consent URL, waits for the callback, shows the result. */
public final class OAuth2ConnectController {
    private final ConsoleContext ctx;

    @FXML private TextField authorizeUrlField;
    @FXML private ProgressIndicator waiting;
    @FXML private Label result;

    public OAuth2ConnectController(ConsoleContext ctx) { this.ctx = ctx; }
}
