package com.airotech.connect.ui.sitegateways;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.OneTimeSecret;
import com.airotech.connect.ui.common.Problems;
import com.airotech.connect.ui.connectors.ConnectorsModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * A client certificate for a site gateway: a new mtls connector, or the renewal of one (a rotation
 * with a grace). The platform makes the key (a PKCS#12 bundle shown once) or signs the gateway's CSR.
 */
public final class IssueCertificateController {
    private final ConsoleContext ctx;
    private Stage stage;
    private ConnectorsModel model;
    private Connector renewing;

    @FXML private Label heading;
    @FXML private TextField nameField;
    @FXML private Spinner<Integer> daysSpinner;
    @FXML private Spinner<Integer> graceSpinner;
    @FXML private RadioButton generateMode;
    @FXML private RadioButton csrMode;
    @FXML private VBox csrBox;
    @FXML private TextArea csrArea;
    @FXML private Label error;
    @FXML private Button okButton;

    public IssueCertificateController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        daysSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, LocalCa.MAX_CLIENT_DAYS, LocalCa.DEFAULT_CLIENT_DAYS, 30));
        daysSpinner.setEditable(true);
        graceSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, RegistrationRequest.MAX_GRACE_SECONDS,
                RegistrationRequest.DEFAULT_GRACE_SECONDS, 30));
        graceSpinner.setEditable(true);
        csrBox.visibleProperty().bind(csrMode.selectedProperty());
        csrBox.managedProperty().bind(csrMode.selectedProperty());
        csrMode.selectedProperty().addListener((o, was, now) -> {
            okButton.setText(now ? "Sign" : "Issue");
            if (renewing == null) heading.setText(now ? "Sign a site gateway's certificate signing request" : "Issue a client certificate");
            if (stage != null) stage.sizeToScene();
        });
        okButton.disableProperty().bind(nameField.textProperty().isEmpty()
                .or(csrMode.selectedProperty().and(csrArea.textProperty().isEmpty())));
    }

    /** Opens for a new site gateway ({@code renew} null) or the renewal of {@code renew}; {@code csr} preselects signing a CSR. */
    void start(Stage stage, ConnectorsModel model, Connector renew, boolean csr) {
        this.stage = stage;
        this.model = model;
        this.renewing = renew;
        if (csr) csrMode.setSelected(true);
        if (renew != null) {
            heading.setText("Renew the client certificate of " + renew.systemName());
            nameField.setText(renew.systemName());
            nameField.setEditable(false);
            nameField.setDisable(true);
            graceSpinner.getValueFactory().setValue(renew.graceSeconds());
        } else if (csr) {
            heading.setText("Sign a site gateway's certificate signing request");
        }
    }

    @FXML private void cancel() { stage.close(); }

    @FXML
    private void loadCsr() {
        Path f = ctx.files().open(stage, "Load the certificate signing request");
        if (f == null) return;
        ctx.background().call(() -> {
            if (Files.size(f) > 16 * 1024) throw new IllegalArgumentException(f + " is larger than a CSR can be (16 KB): choose the .csr or .pem file.");
            return Files.readString(f, StandardCharsets.US_ASCII);
        }, csrArea::setText, e -> error.setText(Problems.describe(e)));
    }

    @FXML
    private void issue() {
        error.setText("");
        RegistrationRequest request;
        CredentialOptions options;
        int grace;
        try {
            daysSpinner.commitValue();
            graceSpinner.commitValue();
            grace = graceSpinner.getValue();
            String csr = csrMode.isSelected() ? csrArea.getText().strip() + "\n" : null;
            options = new CredentialOptions(null, csr, daysSpinner.getValue());
            request = renewing != null ? null : new RegistrationRequest(nameField.getText().strip(), null, AuthMethod.MTLS, null, grace, options);
        } catch (RuntimeException e) {
            error.setText(Problems.describe(e));
            return;
        }
        Principal p = ctx.principal();
        okButton.disableProperty().unbind();
        okButton.setDisable(true);
        if (renewing == null) {
            ctx.background().call(() -> model.register(request, p), r -> done(model.oneTime(r.connector(), r.issued(), false, null)), this::failed);
        } else {
            String id = renewing.connectorId();
            ctx.background().call(() -> model.rotate(p, id, grace, options),
                    r -> done(model.oneTime(r.connector(), r.issued(), true, r.previousValidUntil())), this::failed);
        }
    }

    private void failed(Throwable e) {
        okButton.setDisable(false);
        error.setText(Problems.describe(e));
    }

    private void done(OneTimeSecret s) {
        stage.close();
        ctx.changed();
        Dialogs.showOnce(ctx, s);
    }
}
