package com.airotech.connect.ui.common;

import com.airotech.connect.store.DataDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;

/**
 * The show-once dialog: the credential (a one-line secret, a private key, a PKCS#12 bundle to
 * save, a signed certificate, as the method has it), its SHA-256, copy and save buttons and a
 * ready-to-run example. When it closes, every control that held the credential is emptied and the
 * secrets are wiped, so nothing of it stays on screen or in the console's memory beyond the
 * strings already handed to JavaFX.
 */
public final class ShowOnceController {
    private final ConsoleContext ctx;
    private final BooleanProperty bundleSavedFlag = new SimpleBooleanProperty(true);

    @FXML private Label heading;
    @FXML private Label intro;
    @FXML private GridPane facts;
    @FXML private Node secretRow;
    @FXML private Label secretName;
    @FXML private TextField secretField;
    @FXML private Node blockRow;
    @FXML private Label blockName;
    @FXML private TextArea blockArea;
    @FXML private Label blockSaved;
    @FXML private Node bundleRow;
    @FXML private Label bundleName;
    @FXML private Button saveBundleButton;
    @FXML private Label bundleSaved;
    @FXML private Node publicRow;
    @FXML private Label publicName;
    @FXML private TextArea publicArea;
    @FXML private Label publicSaved;
    @FXML private Label shaLabel;
    @FXML private TextField shaField;
    @FXML private Label exampleTitle;
    @FXML private TextArea exampleArea;
    @FXML private Label copied;
    @FXML private CheckBox stored;
    @FXML private Button doneButton;
    @FXML private Button copySecretButton;

    private OneTimeSecret shown;

    public ShowOnceController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        doneButton.disableProperty().bind(stored.selectedProperty().not().or(bundleSavedFlag.not()));
    }

    /** Puts the secret on screen; {@link #clear()} runs when the window hides. */
    void present(Stage stage, OneTimeSecret s) {
        this.shown = s;
        heading.setText(s.heading);
        intro.setText(s.intro);
        int row = 0;
        for (Map.Entry<String, String> f : s.facts) {
            Label k = new Label(f.getKey());
            k.getStyleClass().add("muted");
            TextField v = new TextField(f.getValue());
            v.setEditable(false);
            v.getStyleClass().add("mono");
            facts.addRow(row++, k, v);
        }
        String value = s.secret == null ? null : s.secret.utf8();
        show(secretRow, value != null);
        if (value != null) {
            secretName.setText(s.secretName);
            secretField.setText(value);
        }
        show(blockRow, s.block != null);
        if (s.block != null) {
            blockName.setText(s.block.name());
            blockArea.setText(s.block.value().utf8());
        }
        show(bundleRow, s.bundle != null);
        if (s.bundle != null) {
            bundleName.setText(s.bundle.name());
            saveBundleButton.setText("Save " + s.bundle.fileName().substring(s.bundle.fileName().lastIndexOf('.') + 1).toUpperCase() + " bundle…");
            bundleSaved.setText("Not saved yet: the bundle holds the private key and exists only in this window.");
            bundleSavedFlag.set(false);
        }
        show(publicRow, s.publicText != null);
        if (s.publicText != null) {
            publicName.setText(s.publicName);
            publicArea.setText(s.publicText);
        }
        shaLabel.setText(s.shaLabel);
        shaField.setText(s.sha256);
        stored.setText(s.confirmText);
        exampleTitle.setText(s.exampleTitle);
        exampleArea.setText(s.example.apply(value));
        stage.setOnHidden(e -> clear());
        stage.setOnShown(e -> (value != null ? copySecretButton : doneButton).requestFocus());
    }

    private static void show(Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    @FXML private void copySecret() { copy(secretField.getText(), "Credential copied."); }

    @FXML private void copyBlock() { copy(blockArea.getText(), "Private key copied."); }

    @FXML private void copyPublic() { copy(publicArea.getText(), "Certificate copied."); }

    @FXML private void copySha() { copy(shaField.getText(), "SHA-256 copied."); }

    @FXML private void copyExample() { copy(exampleArea.getText(), "Example copied."); }

    @FXML
    private void saveBlock() {
        if (shown == null || shown.block == null) return;
        Path f = ctx.files().save(window(), "Save " + shown.block.name().toLowerCase(), shown.block.fileName());
        if (f == null) return;
        byte[] b = shown.block.value().bytes();
        write(f, b, blockSaved, "Saved to " + f + " (readable only by you).");
    }

    @FXML
    private void saveBundle() {
        if (shown == null || shown.bundle == null) return;
        Path f = ctx.files().save(window(), "Save " + shown.bundle.name().toLowerCase(), shown.bundle.fileName());
        if (f == null) return;
        byte[] text = shown.bundle.value().bytes();
        byte[] b = Base64.getDecoder().decode(text);
        Arrays.fill(text, (byte) 0);
        if (write(f, b, bundleSaved, "Saved to " + f + " (readable only by you).")) bundleSavedFlag.set(true);
    }

    @FXML
    private void savePublic() {
        if (shown == null || shown.publicText == null) return;
        Path f = ctx.files().save(window(), "Save " + shown.publicName.toLowerCase(), shown.publicFileName);
        if (f == null) return;
        write(f, shown.publicText.getBytes(StandardCharsets.US_ASCII), publicSaved, "Saved to " + f + ".");
    }

    /** Writes a file only the operator can read; wipes the bytes afterwards. */
    private boolean write(Path f, byte[] b, Label status, String ok) {
        try {
            DataDirectory.writeKeyFile(f.toAbsolutePath(), b);
            status.setText(ok);
            status.getStyleClass().setAll("label", "help", "ok-text");
            return true;
        } catch (IOException | RuntimeException e) {
            status.setText("Could not write " + f + " (" + e.getClass().getSimpleName() + "): choose a folder you can write to.");
            status.getStyleClass().setAll("label", "error-text");
            return false;
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private javafx.stage.Window window() { return doneButton.getScene() == null ? null : doneButton.getScene().getWindow(); }

    private void copy(String text, String message) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        copied.setText(message);
    }

    @FXML private void done() { ((Stage) doneButton.getScene().getWindow()).close(); }

    /** Empties every control that held the credential and wipes the secrets. */
    void clear() {
        secretField.clear();
        blockArea.clear();
        exampleArea.clear();
        copied.setText("");
        if (shown != null) {
            shown.destroy();
            shown = null;
        }
    }
}
