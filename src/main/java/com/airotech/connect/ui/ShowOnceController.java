package com.airotech.connect.ui;

import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;

/**
 * The show-once dialog: the credential, its SHA-256, copy buttons and a ready-to-run example.
 * When it closes, every control that held the credential is emptied and the secret is wiped, so
 * nothing of it stays on screen or in the console's memory beyond the strings already handed out.
 */
public final class ShowOnceController {
    @FXML private Label heading;
    @FXML private Label intro;
    @FXML private GridPane facts;
    @FXML private Label secretName;
    @FXML private TextField secretField;
    @FXML private TextField shaField;
    @FXML private TextArea exampleArea;
    @FXML private Label copied;
    @FXML private CheckBox stored;
    @FXML private Button doneButton;
    @FXML private Button copySecretButton;

    private OneTimeSecret shown;

    @FXML
    private void initialize() {
        doneButton.disableProperty().bind(stored.selectedProperty().not());
    }

    /** Puts the secret on screen; {@link #clear()} runs when the window hides. */
    void present(Stage stage, OneTimeSecret s) {
        this.shown = s;
        heading.setText(s.heading);
        intro.setText(s.intro);
        secretName.setText(s.secretName);
        int row = 0;
        for (Map.Entry<String, String> f : s.facts) {
            Label k = new Label(f.getKey());
            k.getStyleClass().add("muted");
            TextField v = new TextField(f.getValue());
            v.setEditable(false);
            v.getStyleClass().add("mono");
            facts.addRow(row++, k, v);
        }
        String value = s.secret.utf8();
        secretField.setText(value);
        shaField.setText(s.sha256);
        exampleArea.setText(s.example.apply(value));
        stage.setOnHidden(e -> clear());
        stage.setOnShown(e -> copySecretButton.requestFocus());
    }

    @FXML private void copySecret() { copy(secretField.getText(), "Credential copied."); }

    @FXML private void copySha() { copy(shaField.getText(), "SHA-256 copied."); }

    @FXML private void copyExample() { copy(exampleArea.getText(), "Example copied."); }

    private void copy(String text, String message) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        copied.setText(message);
    }

    @FXML private void done() { ((Stage) doneButton.getScene().getWindow()).close(); }

    /** Empties every control that held the credential and wipes the secret. */
    void clear() {
        secretField.clear();
        exampleArea.clear();
        copied.setText("");
        if (shown != null) {
            shown.secret.destroy();
            shown = null;
        }
    }
}
