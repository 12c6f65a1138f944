package com.airotech.connect.ui.connections;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.ui.common.ConsoleContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The fields of a connection kind's material (API.md §6), for the add and rotation dialogs. What
 * is typed goes straight into the request to the secret store; {@link #clear()} empties the
 * secret fields when the dialog is done with them.
 */
final class MaterialForm {
    private static final long MAX_BUNDLE = 256 * 1024;

    private final ConsoleContext ctx;
    private final VBox box;
    private ConnectionKind kind;
    private TextField user;
    private PasswordField password;
    private TextField bundlePath;
    private PasswordField bundlePassword;
    private TextField caPath;
    private PasswordField apiKey;
    private TextField roleArn;
    private PasswordField clientSecret;

    MaterialForm(ConsoleContext ctx, VBox box) {
        this.ctx = ctx;
        this.box = box;
    }

    /** A kind's name on the console's screens: with the fields below, all the console knows of a kind. */
    static String kindName(ConnectionKind k) {
        return switch (k) {
            case BASIC -> "Basic";
            case MTLS -> "mTLS";
            case API_KEY -> "API key";
            case OAUTH2 -> "OAuth2";
            case AWS_IAM -> "AWS IAM";
            case NONE -> "None";
        };
    }

    /** Shows the fields of {@code k}; {@code withServerCa} adds the optional server CA (a new mtls connection). */
    void show(ConnectionKind k, boolean withServerCa) {
        clear();
        this.kind = k;
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        ColumnConstraints c0 = new ColumnConstraints(150);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().setAll(c0, c1);
        int row = 0;
        switch (k) {
            case BASIC -> {
                user = field("matUser", "the user name the gateway expects");
                password = secret("matPassword");
                g.addRow(row++, new Label("User name"), user);
                g.addRow(row++, new Label("Password"), password);
            }
            case MTLS -> {
                bundlePath = field("matBundle", "the PKCS#12 file (.p12) with the platform's client key and certificate");
                bundlePassword = secret("matBundlePassword");
                g.addRow(row++, new Label("Client bundle"), withChooser(bundlePath, "chooseBundle", "Choose the client's PKCS#12 bundle"));
                g.addRow(row++, new Label("Bundle password"), bundlePassword);
                if (withServerCa) {
                    caPath = field("matServerCa", "optional: the CA of the gateway's server certificate (PEM)");
                    g.addRow(row++, new Label("Server CA"), withChooser(caPath, "chooseServerCa", "Choose the server's CA certificate"));
                }
            }
            case API_KEY -> {
                apiKey = secret("matApiKey");
                g.addRow(row++, new Label("API key"), apiKey);
            }
            case AWS_IAM -> {
                roleArn = field("matRoleArn", "arn:aws:iam::123456789012:role/airotech-connect");
                roleArn.getStyleClass().add("mono");
                g.addRow(row++, new Label("Role ARN"), roleArn);
            }
            case OAUTH2 -> {
                clientSecret = secret("matClientSecret");
                g.addRow(row++, new Label("Client secret"), clientSecret);
            }
            case NONE -> g.addRow(row++, new Label("No credential"), new Label("This connection takes none."));
        }
        box.getChildren().setAll(g);
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        return f;
    }

    private static PasswordField secret(String id) {
        PasswordField f = new PasswordField();
        f.setId(id);
        return f;
    }

    private HBox withChooser(TextField path, String id, String title) {
        Button b = new Button("Choose…");
        b.setId(id);
        b.setOnAction(e -> {
            Path p = ctx.files().open(box.getScene() == null ? null : box.getScene().getWindow(), title);
            if (p != null) path.setText(p.toString());
        });
        HBox h = new HBox(8, path, b);
        HBox.setHgrow(path, Priority.ALWAYS);
        return h;
    }

    /** The server CA file chosen for a new mtls connection, or null. */
    Path serverCa() { return caPath == null || caPath.getText().isBlank() ? null : Path.of(caPath.getText().strip()); }

    /**
     * Reads the fields now (FX thread); the returned work builds the request body off the FX
     * thread (it reads the bundle file).
     */
    Callable<ObjectNode> body() {
        ConnectionKind k = kind;
        String u = user == null ? null : user.getText();
        String pw = password == null ? null : password.getText();
        String bundle = bundlePath == null ? null : bundlePath.getText().strip();
        String bundlePw = bundlePassword == null ? null : bundlePassword.getText();
        String key = apiKey == null ? null : apiKey.getText();
        String arn = roleArn == null ? null : roleArn.getText().strip();
        String cs = clientSecret == null ? null : clientSecret.getText();
        return () -> switch (k) {
            case BASIC -> Json.object().put("username", u.strip()).put("password", pw);
            case MTLS -> {
                if (bundle.isEmpty()) throw new IllegalArgumentException("Choose the client's PKCS#12 bundle (.p12).");
                Path f = Path.of(bundle);
                if (!Files.isReadable(f)) throw new IllegalArgumentException(f + " cannot be read: choose the .p12 file the gateway's operator gave you.");
                if (Files.size(f) > MAX_BUNDLE) throw new IllegalArgumentException(f + " is larger than a PKCS#12 bundle can be (256 KB).");
                yield Json.object().put("client_p12_base64", Base64.getEncoder().encodeToString(Files.readAllBytes(f))).put("client_p12_password", bundlePw);
            }
            case API_KEY -> Json.object().put("api_key", key);
            case AWS_IAM -> Json.object().put("role_arn", arn);
            case OAUTH2 -> Json.object().put("client_secret", cs);
            case NONE -> throw new IllegalArgumentException("This connection takes no credential.");
        };
    }

    /** Empties the fields that held material. */
    void clear() {
        for (TextField f : new TextField[] {password, bundlePassword, apiKey, clientSecret}) if (f != null) f.clear();
    }
}
