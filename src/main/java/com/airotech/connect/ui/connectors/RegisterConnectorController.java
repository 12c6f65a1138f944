package com.airotech.connect.ui.connectors;

import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import java.util.Arrays;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** The register wizard: choose the method, describe the site gateway, register, then show the credential once. */
public final class RegisterConnectorController {
    private final ConsoleContext ctx;
    private final ToggleGroup methods = new ToggleGroup();
    private Stage stage;
    private ConnectorsModel model;

    @FXML private javafx.scene.layout.GridPane methodList;
    @FXML private VBox keyBox;
    @FXML private Label keyLabel;
    @FXML private javafx.scene.control.TextArea keyArea;
    @FXML private Label keyHelp;
    @FXML private javafx.scene.layout.HBox daysRow;
    @FXML private Spinner<Integer> daysSpinner;
    private KeyInput keyInput;
    @FXML private TextField nameField;
    @FXML private TextField webhookField;
    @FXML private TextField typesField;
    @FXML private Spinner<Integer> graceSpinner;
    @FXML private Label error;
    @FXML private Button registerButton;

    public RegisterConnectorController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        graceSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, RegistrationRequest.MAX_GRACE_SECONDS,
                RegistrationRequest.DEFAULT_GRACE_SECONDS, 30));
        graceSpinner.setEditable(true);
        keyInput = new KeyInput(ctx, keyBox, keyLabel, keyArea, keyHelp, daysRow, daysSpinner);
        int i = 0;
        for (MethodGuide g : MethodGuide.available(ctx.platform().connectors().supportedMethods())) {
            RadioButton b = new RadioButton(g.title());
            b.setId("method-" + g.method().wire());
            b.setUserData(g);
            b.setToggleGroup(methods);
            b.getStyleClass().add("form-label");
            Label d = new Label(g.description());
            d.getStyleClass().add("help");
            d.setWrapText(true);
            VBox option = new VBox(4, b, d);
            option.getStyleClass().add("method-option");
            option.setOnMouseClicked(e -> b.setSelected(true));
            option.setMaxHeight(Double.MAX_VALUE);
            b.selectedProperty().addListener((o, was, now) -> option.pseudoClassStateChanged(SELECTED, now));
            methodList.add(option, i % 2, i / 2);
            i++;
        }
        methods.selectedToggleProperty().addListener((o, was, now) ->
                keyInput.show(now == null ? null : ((MethodGuide) now.getUserData()).method()));
        if (!methods.getToggles().isEmpty()) methods.getToggles().get(0).setSelected(true);
        registerButton.disableProperty().bind(nameField.textProperty().isEmpty().or(methods.selectedToggleProperty().isNull()));
    }

    private static final javafx.css.PseudoClass SELECTED = javafx.css.PseudoClass.getPseudoClass("selected-option");

    /** Preselects a method (the Site gateways screen opens the wizard on mtls). */
    void preselect(com.airotech.connect.connector.AuthMethod m) {
        methods.getToggles().stream().filter(t -> ((MethodGuide) t.getUserData()).method() == m).findFirst().ifPresent(t -> t.setSelected(true));
    }

    @FXML private void loadKey() { keyInput.load(); }

    void start(Stage stage, ConnectorsModel model) {
        this.stage = stage;
        this.model = model;
    }

    @FXML
    private void cancel() { stage.close(); }

    @FXML
    private void register() {
        error.setText("");
        RegistrationRequest request;
        try {
            graceSpinner.commitValue();
            MethodGuide g = (MethodGuide) methods.getSelectedToggle().getUserData();
            String url = webhookField.getText().isBlank() ? null : webhookField.getText().strip();
            List<String> types = typesField.getText().isBlank() ? null
                    : Arrays.stream(typesField.getText().split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
            request = new RegistrationRequest(nameField.getText().strip(), url, g.method(), types, graceSpinner.getValue(), keyInput.options());
        } catch (RuntimeException e) {
            error.setText(Problems.describe(e));
            return;
        }
        Principal p = ctx.principal();
        registerButton.disableProperty().unbind();
        registerButton.setDisable(true);
        ctx.background().call(() -> model.register(request, p), this::registered, e -> {
            registerButton.setDisable(false);
            error.setText(Problems.describe(e));
        });
    }

    private void registered(Registration r) {
        stage.close();
        ctx.changed();
        Dialogs.showOnce(ctx, model.oneTime(r.connector(), r.issued(), false, null));
    }
}
