package com.airotech.connect.ui.deliveries;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.delivery.NewSubscription;
import com.airotech.connect.delivery.SubscriptionService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Problems;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.util.StringConverter;

/**
 * A new subscription in two clicks: the first target (a connector with a webhook URL, or a
 * connection) is chosen and the name filled in, so Create is all that is left; path, event types
 * and where to start can be changed before. A connection is offered when it has an address
 * (an aws_iam one without base_url serves AWS SDK clients only).
 */
public final class NewSubscriptionController {
    /** A target on offer: a connector's webhook URL or a connection's address. */
    record Choice(String kind, String id, String name, String address) {
        boolean connection() { return kind.equals("connection"); }
    }

    private final ConsoleContext ctx;
    private Stage stage;
    private BiConsumer<SubscriptionService.Created, String> onCreated;
    private String autoName;

    @FXML private ComboBox<Choice> targetBox;
    @FXML private Label pathLabel;
    @FXML private TextField pathField;
    @FXML private TextField nameField;
    @FXML private TextField typesField;
    @FXML private ChoiceBox<String> startBox;
    @FXML private Label hint;
    @FXML private ProgressIndicator progress;
    @FXML private Label result;
    @FXML private Button createButton;

    public NewSubscriptionController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        targetBox.setConverter(new StringConverter<>() {
            @Override public String toString(Choice c) {
                return c == null ? "" : (c.connection() ? "Connection " : "Connector ") + c.name() + " — " + c.address();
            }

            @Override public Choice fromString(String s) { return null; }
        });
        startBox.getItems().setAll("New events only (from now on)", "Every event still stored");
        startBox.setValue(startBox.getItems().get(0));
        progress.setVisible(false);
        targetBox.valueProperty().addListener((o, was, now) -> chosen(now));
        createButton.disableProperty().bind(targetBox.valueProperty().isNull().or(nameField.textProperty().isEmpty()));
        hint.setText("Loading the tenant's connectors and connections…");
    }

    void start(Stage stage, BiConsumer<SubscriptionService.Created, String> onCreated) {
        this.stage = stage;
        this.onCreated = onCreated;
        Principal p = ctx.principal();
        ctx.background().call(() -> targets(p), this::offered, ctx::failed);
    }

    private List<Choice> targets(Principal p) {
        List<Choice> out = new ArrayList<>();
        for (Connector c : ctx.platform().connectors().list(p)) {
            if (c.active() && c.webhookUrl() != null) out.add(new Choice("connector", c.connectorId(), c.systemName(), c.webhookUrl()));
        }
        for (Connection c : ctx.platform().connections().list(p)) {
            if (c.baseUrl() != null) out.add(new Choice("connection", c.connectionId(), c.name(), c.baseUrl()));
        }
        return out;
    }

    private void offered(List<Choice> choices) {
        targetBox.getItems().setAll(choices);
        if (choices.isEmpty()) {
            hint.setText("Nothing to deliver to yet: give a connector a webhook URL (Connectors screen), or add a connection (Connections screen).");
            hint.getStyleClass().setAll("label", "warn-text");
        } else {
            targetBox.setValue(choices.get(0));
        }
        Dialogs.refit(hint);
    }

    private void chosen(Choice c) {
        boolean path = c != null && c.connection();
        pathLabel.setDisable(!path);
        pathField.setDisable(!path);
        if (c == null) return;
        // the name follows the target until the operator types one of their own
        String name = "to " + c.name();
        if (nameField.getText().isEmpty() || nameField.getText().equals(autoName)) nameField.setText(name);
        autoName = name;
        hint.getStyleClass().setAll("label", "help");
        hint.setText(c.connection() ? "Deliveries go to " + c.address() + pathField.getText() + " with the connection's own authentication."
                : "Deliveries are signed with a new Standard Webhooks secret, shown once after Create, with a receiver that checks it.");
    }

    @FXML private void close() { stage.close(); }

    @FXML
    private void create() {
        Choice c = targetBox.getValue();
        Principal p = ctx.principal();
        if (c == null || p == null) return;
        ObjectNode body = Json.object().put("name", nameField.getText().strip());
        ObjectNode target = body.putObject("target");
        if (c.connection()) target.put("connection_id", c.id()).put("path", pathField.getText().strip());
        else target.put("connector_id", c.id());
        List<String> types = new ArrayList<>();
        for (String t : typesField.getText().split("[,\\s]+")) if (!t.isBlank()) types.add(t.strip());
        if (!types.isEmpty()) body.set("event_types", Json.MAPPER.valueToTree(types));
        if (startBox.getSelectionModel().getSelectedIndex() == 1) body.put("start_from", "earliest");
        progress.setVisible(true);
        result.setText("Creating…");
        result.getStyleClass().setAll("label", "muted");
        createButton.disableProperty().unbind();
        createButton.setDisable(true);
        ctx.background().call(() -> ctx.platform().subscriptions().create(p, NewSubscription.fromJson(body)), created -> {
            stage.close();
            onCreated.accept(created, c.connection() ? c.address() + pathField.getText().strip() : c.address());
        }, e -> {
            progress.setVisible(false);
            result.setText(Problems.describe(e));
            result.getStyleClass().setAll("label", "error-text");
            createButton.disableProperty().bind(targetBox.valueProperty().isNull().or(nameField.textProperty().isEmpty()));
            Dialogs.refit(result);
        });
    }
}
