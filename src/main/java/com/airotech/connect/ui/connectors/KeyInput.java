package com.airotech.connect.ui.connectors;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.ui.common.ConsoleContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;

/**
 * The public inputs a method may take when a credential is issued, shared by the register, rotate
 * and certificate dialogs: an RSA public key, or a CSR and the certificate's lifetime. Both are
 * optional: without them the platform makes the key and shows it once.
 */
public final class KeyInput {
    private static final long MAX_FILE = 16 * 1024;

    private final ConsoleContext ctx;
    private final Node box;
    private final Label label;
    private final TextArea area;
    private final Label help;
    private final Node daysRow;
    private final Spinner<Integer> days;
    private AuthMethod method;

    KeyInput(ConsoleContext ctx, Node box, Label label, TextArea area, Label help, Node daysRow, Spinner<Integer> days) {
        this.ctx = ctx;
        this.box = box;
        this.label = label;
        this.area = area;
        this.help = help;
        this.daysRow = daysRow;
        this.days = days;
        days.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, LocalCa.MAX_CLIENT_DAYS, LocalCa.DEFAULT_CLIENT_DAYS, 30));
        days.setEditable(true);
        show(null);
    }

    /** Shows the inputs of {@code m} (none for methods that take none). */
    void show(AuthMethod m) {
        this.method = m;
        boolean rsa = m == AuthMethod.RSA;
        boolean mtls = m == AuthMethod.MTLS;
        box.setVisible(rsa || mtls);
        box.setManaged(rsa || mtls);
        daysRow.setVisible(mtls);
        daysRow.setManaged(mtls);
        if (rsa) {
            label.setText("The site gateway's public key (optional)");
            area.setPromptText("-----BEGIN PUBLIC KEY-----\n…");
            help.setText("Paste or load the RSA public key (2048 bits or more) the site gateway made. Leave it empty and the platform "
                    + "makes a 3072-bit key pair and shows the private key once.");
        } else if (mtls) {
            label.setText("The site gateway's certificate signing request (optional)");
            area.setPromptText("-----BEGIN CERTIFICATE REQUEST-----\n…");
            help.setText("Paste or load the CSR the site gateway made (its key never leaves it); the platform signs it. Leave it empty "
                    + "and the platform makes key and certificate and hands them over once as a PKCS#12 bundle.");
        }
    }

    /** Reads a PEM file chosen by the operator into the text area, off the FX thread. */
    void load() {
        Path f = ctx.files().open(ctx.window(), method == AuthMethod.RSA ? "Load the public key" : "Load the certificate signing request");
        if (f == null) return;
        ctx.background().call(() -> {
            if (Files.size(f) > MAX_FILE) throw new IllegalArgumentException(f + " is larger than a PEM key or CSR can be (16 KB): choose the .pem file.");
            return Files.readString(f, StandardCharsets.US_ASCII);
        }, area::setText, ctx::failed);
    }

    /** The options for the service; throws with a sentence when an input does not validate. */
    CredentialOptions options() {
        String pem = area.getText() == null || area.getText().isBlank() ? null : area.getText().strip() + "\n";
        if (method == AuthMethod.RSA) return new CredentialOptions(pem, null, null);
        if (method == AuthMethod.MTLS) {
            days.commitValue();
            return new CredentialOptions(null, pem, days.getValue());
        }
        return CredentialOptions.NONE;
    }
}
