package com.airotech.connect.ui.deliveries;

import com.airotech.connect.delivery.DeliveryPage;
import com.airotech.connect.delivery.DeliveryView;
import com.airotech.connect.delivery.Subscription;
import com.airotech.connect.delivery.SubscriptionPatch;
import com.airotech.connect.delivery.SubscriptionService;
import com.airotech.connect.delivery.Target;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Dialogs;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.OneTimeSecret;
import com.airotech.connect.ui.common.Screen;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.TooltipCell;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;

/**
 * Deliveries: the tenant's subscriptions with health, backlog and lag (disabled ones in red, with
 * why and what to do), a subscription's deliveries with every attempt, dead letters with Retry and
 * Recover since…, new subscriptions in two clicks, enable, disable, rotate and delete. The work is
 * the platform's SubscriptionService, run off the FX thread; the screen refreshes every two seconds
 * while it is in view.
 */
public final class DeliveriesController implements ScreenController {
    private static final Map<String, Duration> SINCE = Map.of("the last hour", Duration.ofHours(1), "the last 24 hours", Duration.ofDays(1),
            "the last 7 days", Duration.ofDays(7), "ever", Duration.ofDays(36_500));

    private final ConsoleContext ctx;
    private final ObservableList<DeliveriesModel.Row> subRows = FXCollections.observableArrayList();
    private final ObservableList<DeliveryView> deliveryRows = FXCollections.observableArrayList();
    private String selectedSubscription;
    private String selectedDelivery;
    private boolean loading;
    /** Set while a refresh replaces rows and selects the same ones again: not a choice of the operator's. */
    private boolean restoring;
    private DeliveryView shownAttempts;

    @FXML private TableView<DeliveriesModel.Row> subscriptions;
    @FXML private TableColumn<DeliveriesModel.Row, String> nameColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> targetColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> healthColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> backlogColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> lagColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> deliveredColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> failedColumn;
    @FXML private TableColumn<DeliveriesModel.Row, String> lastColumn;
    @FXML private TableView<DeliveryView> deliveries;
    @FXML private TableColumn<DeliveryView, String> eventColumn;
    @FXML private TableColumn<DeliveryView, String> typeColumn;
    @FXML private TableColumn<DeliveryView, String> statusColumn;
    @FXML private TableColumn<DeliveryView, String> attemptsColumn;
    @FXML private TableColumn<DeliveryView, String> attemptedColumn;
    @FXML private TableColumn<DeliveryView, String> nextColumn;
    @FXML private Button newButton;
    @FXML private Button enableButton;
    @FXML private Button disableButton;
    @FXML private Button rotateButton;
    @FXML private Button deleteButton;
    @FXML private Button retryButton;
    @FXML private Button recoverButton;
    @FXML private ChoiceBox<String> recoverSince;
    @FXML private Label banner;
    @FXML private Label deliveriesTitle;
    @FXML private Label deliveriesEmpty;
    @FXML private Label noDelivery;
    @FXML private ScrollPane attemptsScroll;
    @FXML private VBox attemptsBox;
    @FXML private ToggleGroup statusFilter;
    @FXML private ToggleButton allFilter;
    @FXML private ToggleButton pendingFilter;
    @FXML private ToggleButton failedFilter;
    @FXML private ToggleButton deliveredFilter;

    public DeliveriesController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        subscriptions.setItems(subRows);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().subscription().name()));
        targetColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().target()));
        targetColumn.setCellFactory(col -> new TooltipCell<>());
        healthColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DeliveriesModel.health(c.getValue().subscription())));
        healthColumn.setCellFactory(col -> new HealthCell());
        backlogColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DeliveriesModel.backlog(c.getValue().stats())));
        lagColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DeliveriesModel.lag(c.getValue().stats().lag())));
        deliveredColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Long.toString(c.getValue().subscription().deliveredTotal())));
        failedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Long.toString(c.getValue().stats().failed())));
        failedColumn.setCellFactory(col -> new CountCell());
        lastColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> Formats.ago(c.getValue().subscription().lastSuccessAt(), ctx.clock().instant()),
                ctx.tick()));

        deliveries.setItems(deliveryRows);
        eventColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().eventId() == null ? "(seq " + c.getValue().eventSeq() + ")" : c.getValue().eventId()));
        eventColumn.setCellFactory(col -> new TooltipCell<>());
        typeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().eventType() == null ? "" : c.getValue().eventType()));
        statusColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DeliveriesModel.status(c.getValue())));
        statusColumn.setCellFactory(col -> new DeliveryStatusCell());
        attemptsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(c.getValue().attempts().size())));
        attemptedColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> Formats.ago(DeliveriesModel.lastAttempt(c.getValue()), ctx.clock().instant()),
                ctx.tick()));
        nextColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().nextAttemptAt() == null ? "" : Formats.time(c.getValue().nextAttemptAt())));

        recoverSince.getItems().setAll("the last hour", "the last 24 hours", "the last 7 days", "ever");
        recoverSince.setValue("the last 24 hours");

        var sub = subscriptions.getSelectionModel().selectedItemProperty();
        var noSub = sub.isNull();
        newButton.disableProperty().bind(ctx.activeTenant().isNull());
        enableButton.disableProperty().bind(Bindings.createBooleanBinding(() -> sub.get() == null || sub.get().subscription().enabled(), sub));
        disableButton.disableProperty().bind(Bindings.createBooleanBinding(() -> sub.get() == null || !sub.get().subscription().enabled(), sub));
        rotateButton.disableProperty().bind(Bindings.createBooleanBinding(() -> sub.get() == null
                || !(sub.get().subscription().target() instanceof Target.ToConnector), sub));
        deleteButton.disableProperty().bind(noSub);
        recoverButton.disableProperty().bind(noSub);
        recoverSince.disableProperty().bind(noSub);
        var delivery = deliveries.getSelectionModel().selectedItemProperty();
        retryButton.disableProperty().bind(delivery.isNull());
        sub.addListener((o, was, now) -> {
            if (restoring) return; // a refresh replaces the rows and selects the same one again
            String id = now == null ? null : now.id();
            boolean other = !Objects.equals(id, selectedSubscription);
            selectedSubscription = id;
            if (other) {
                selectedDelivery = null;
                deliveryRows.clear();
                loadDeliveries();
            }
        });
        delivery.addListener((o, was, now) -> {
            if (restoring) return;
            selectedDelivery = now == null ? null : now.deliveryId();
            showAttempts(now);
        });
        statusFilter.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) was.setSelected(true); // one filter is always on
            else loadDeliveries();
        });
        attemptsScroll.visibleProperty().bind(delivery.isNotNull());
        noDelivery.visibleProperty().bind(delivery.isNull());
        show(banner, false);
        ctx.activeTenant().addListener((o, was, t) -> {
            selectedSubscription = null;
            reload();
        });
        ctx.changes().addListener((o, was, n) -> reload());
        // while in view, the numbers follow what the dispatcher does
        ctx.tick().addListener((o, was, n) -> {
            if (ctx.screen().get() == Screen.DELIVERIES && n.longValue() % 2 == 0) reload();
        });
    }

    @Override
    public void shown() { reload(); }

    private static void show(javafx.scene.Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    private void reload() {
        Principal p = ctx.principal();
        if (p == null) {
            loaded(List.of());
            return;
        }
        if (loading) return;
        loading = true;
        ctx.background().call(() -> DeliveriesModel.load(ctx.platform(), p), rows -> {
            loading = false;
            loaded(rows);
        }, e -> {
            loading = false;
            ctx.failed(e);
        });
    }

    private void loaded(List<DeliveriesModel.Row> rows) {
        String keep = selectedSubscription;
        restoring = true;
        try {
            // an unchanged list is left alone: replacing it would drop and restore the selection under the operator's hand
            if (!rows.equals(subRows)) subRows.setAll(rows);
            rows.stream().filter(r -> r.id().equals(keep)).findFirst().ifPresent(r -> subscriptions.getSelectionModel().select(r));
        } finally {
            restoring = false;
        }
        DeliveriesModel.Row now = subscriptions.getSelectionModel().getSelectedItem();
        if (now == null && !rows.isEmpty()) {
            subscriptions.getSelectionModel().select(0); // the listener loads its deliveries
            return;
        }
        if (now == null && keep != null) {
            selectedSubscription = null; // it is gone
            selectedDelivery = null;
        }
        String text = DeliveriesModel.banner(rows);
        show(banner, text != null);
        banner.setText(text == null ? "" : text);
        loadDeliveries();
    }

    private String statusWanted() {
        if (pendingFilter.isSelected()) return "pending";
        if (failedFilter.isSelected()) return "failed";
        if (deliveredFilter.isSelected()) return "delivered";
        return null;
    }

    private void loadDeliveries() {
        Principal p = ctx.principal();
        DeliveriesModel.Row row = subscriptions.getSelectionModel().getSelectedItem();
        if (p == null || row == null) {
            deliveriesTitle.setText("Deliveries");
            deliveriesEmpty.setText("Select a subscription to see its deliveries.");
            deliveryRows.clear();
            return;
        }
        deliveriesTitle.setText("Deliveries of " + row.subscription().name());
        String status = statusWanted();
        String subId = row.id();
        ctx.background().call(() -> DeliveriesModel.deliveries(ctx.platform(), p, subId, status), page -> deliveriesLoaded(subId, status, page), ctx::failed);
    }

    private void deliveriesLoaded(String subId, String status, DeliveryPage page) {
        if (!subId.equals(selectedSubscription) || !Objects.equals(status, statusWanted())) return; // a newer choice was made meanwhile
        String keep = selectedDelivery;
        restoring = true;
        try {
            if (!page.deliveries().equals(deliveryRows)) deliveryRows.setAll(page.deliveries());
            page.deliveries().stream().filter(v -> v.deliveryId().equals(keep)).findFirst().ifPresent(v -> deliveries.getSelectionModel().select(v));
        } finally {
            restoring = false;
        }
        DeliveryView selectedNow = deliveries.getSelectionModel().getSelectedItem();
        if (selectedNow == null) selectedDelivery = null;
        if (!Objects.equals(selectedNow, shownAttempts)) showAttempts(selectedNow);
        deliveriesEmpty.setText(status == null ? "Nothing delivered or waiting yet: deliveries appear as events are stored."
                : "None " + switch (status) {
                    case "pending" -> "waiting for a retry.";
                    case "failed" -> "failed: no dead letters.";
                    default -> "delivered yet.";
                });
    }

    private void showAttempts(DeliveryView v) {
        shownAttempts = v;
        attemptsBox.getChildren().clear();
        if (v == null) return;
        Label title = new Label(v.eventId() == null ? "Event seq " + v.eventSeq() : v.eventId());
        title.getStyleClass().add("panel-title");
        title.setWrapText(true);
        Label status = new Label(DeliveriesModel.status(v) + (v.nextAttemptAt() == null ? "" : ", next attempt " + Formats.time(v.nextAttemptAt())));
        status.getStyleClass().add(switch (v.status()) {
            case "delivered" -> "ok-text";
            case "failed" -> "error-text";
            default -> "warn-text";
        });
        status.setWrapText(true);
        Label id = new Label(v.deliveryId());
        id.getStyleClass().addAll("mono", "small", "muted");
        attemptsBox.getChildren().addAll(title, status, id);
        String lastDetail = v.attempts().isEmpty() ? null : v.attempts().get(v.attempts().size() - 1).detail();
        if (v.lastError() != null && !v.status().equals("delivered") && !v.lastError().equals(lastDetail)) {
            Label err = new Label(v.lastError());
            err.setWrapText(true);
            err.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            attemptsBox.getChildren().add(err);
        }
        int n = 1;
        for (DeliveryView.Attempt a : v.attempts()) {
            Label head = new Label("Attempt " + n++ + " · " + Formats.time(a.at()));
            head.getStyleClass().add("form-label");
            Label what = new Label(DeliveriesModel.outcome(a));
            what.getStyleClass().add(a.statusCode() != null && a.statusCode() / 100 == 2 ? "ok-text" : "error-text");
            attemptsBox.getChildren().addAll(head, what);
            if (a.detail() != null) {
                Label d = new Label(a.detail());
                d.setWrapText(true);
                d.getStyleClass().add("small");
                d.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
                attemptsBox.getChildren().add(d);
            }
            if (a.responseExcerpt() != null) {
                TextArea excerpt = new TextArea(a.responseExcerpt());
                excerpt.setEditable(false);
                excerpt.setWrapText(true);
                excerpt.setPrefRowCount(Math.min(6, 1 + a.responseExcerpt().length() / 40));
                excerpt.getStyleClass().addAll("mono", "small");
                attemptsBox.getChildren().add(excerpt);
            }
        }
        if (v.attempts().isEmpty()) {
            Label none = new Label("Not attempted yet: it waits for the deliveries before it from the same site gateway.");
            none.setWrapText(true);
            none.getStyleClass().add("muted");
            attemptsBox.getChildren().add(none);
        }
    }

    private Subscription selected() {
        DeliveriesModel.Row r = subscriptions.getSelectionModel().getSelectedItem();
        return r == null ? null : r.subscription();
    }

    @FXML
    private void newSubscription() {
        Dialogs.Opened<NewSubscriptionController> d = Dialogs.modal(ctx, FxmlView.NEW_SUBSCRIPTION, "New subscription");
        d.controller().start(d.stage(), this::created);
        d.stage().show();
    }

    /** After a creation: the signing secret once (connector targets), and the new subscription selected. */
    private void created(SubscriptionService.Created c, String url) {
        selectedSubscription = c.subscription().subscriptionId();
        ctx.changed();
        if (c.signingSecret() == null) {
            ctx.notifySuccess("Subscription " + c.subscription().name() + " delivers over its connection from now on.");
            return;
        }
        Dialogs.showOnce(ctx, secretDialog("Subscription created: " + c.subscription().name(),
                "Deliveries to " + url + " are signed with this Standard Webhooks secret. Give it to the receiver now: it is shown this once.",
                c.subscription(), c.signingSecret(), c.signingSecretSha256(), url, null));
    }

    static OneTimeSecret secretDialog(String heading, String intro, Subscription s, com.airotech.connect.common.Secret secret, String sha, String url,
                                      Instant previousUntil) {
        List<Map.Entry<String, String>> facts = new java.util.ArrayList<>();
        facts.add(Map.entry("Subscription", s.subscriptionId()));
        if (url != null) facts.add(Map.entry("Delivers to", url));
        if (previousUntil != null) facts.add(Map.entry("Previous secret", "still signs until " + Formats.time(previousUntil)));
        return new OneTimeSecret(heading, intro, "Signing secret (whsec_…)", secret, sha, facts, value -> ReceiverExample.node(value, url))
                .exampleTitle("A receiver that checks the signature (Node)");
    }

    @FXML private void enable() { setEnabled(true); }

    @FXML private void disable() { setEnabled(false); }

    private void setEnabled(boolean on) {
        Subscription s = selected();
        Principal p = ctx.principal();
        if (s == null || p == null) return;
        ctx.background().call(() -> ctx.platform().subscriptions().update(p, s.subscriptionId(), SubscriptionPatch.enable(on)), done -> {
            ctx.notifySuccess(on ? s.name() + " is enabled: delivery goes on from where it stopped." : s.name() + " is disabled: nothing is sent until it is enabled.");
            ctx.changed();
        }, ctx::failed);
    }

    @FXML
    private void rotate() {
        Subscription s = selected();
        Principal p = ctx.principal();
        if (s == null || p == null) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "A new signing secret is issued. The current one keeps signing for 24 hours, so the receiver"
                + " can switch over; deliveries carry both signatures meanwhile.", ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText("Rotate the signing secret of " + s.name() + "?");
        if (ctx.window() != null) confirm.initOwner(ctx.window());
        if (confirm.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
        String url = subscriptions.getSelectionModel().getSelectedItem().target();
        ctx.background().call(() -> ctx.platform().subscriptions().rotateSecret(p, s.subscriptionId(), null), r -> {
            ctx.changed();
            Dialogs.showOnce(ctx, secretDialog("New signing secret for " + s.name(), "Give it to the receiver. Until the time below the previous secret "
                    + "signs too, so the receiver can switch over without losing a delivery.", r.subscription(), r.signingSecret(), r.signingSecretSha256(),
                    urlOf(url), r.previousValidUntil()));
        }, ctx::failed);
    }

    /** The URL part of a target described as "name — url". */
    private static String urlOf(String target) {
        int i = target.indexOf(" — ");
        return i < 0 ? null : target.substring(i + 3);
    }

    @FXML
    private void delete() {
        Subscription s = selected();
        Principal p = ctx.principal();
        if (s == null || p == null) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Nothing more is delivered, and its deliveries' history is deleted. Events stay stored.",
                ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText("Delete subscription " + s.name() + "?");
        if (ctx.window() != null) confirm.initOwner(ctx.window());
        if (confirm.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
        ctx.background().call(() -> {
            ctx.platform().subscriptions().delete(p, s.subscriptionId());
            return null;
        }, x -> {
            selectedSubscription = null;
            ctx.notifySuccess("Subscription " + s.name() + " deleted.");
            ctx.changed();
        }, ctx::failed);
    }

    @FXML
    private void retry() {
        DeliveryView v = deliveries.getSelectionModel().getSelectedItem();
        Principal p = ctx.principal();
        if (v == null || p == null) return;
        ctx.background().call(() -> ctx.platform().subscriptions().retry(p, v.deliveryId()), r -> {
            ctx.notifyInfo("Delivery of " + (v.eventId() == null ? "seq " + v.eventSeq() : v.eventId()) + " queued: it is sent again now.");
            ctx.changed();
        }, ctx::failed);
    }

    @FXML
    private void recover() {
        Subscription s = selected();
        Principal p = ctx.principal();
        if (s == null || p == null) return;
        String choice = recoverSince.getValue();
        Instant since = ctx.clock().instant().minus(SINCE.get(choice));
        ctx.background().call(() -> ctx.platform().subscriptions().recover(p, s.subscriptionId(), since), n -> {
            if (n == 0) ctx.notifyInfo("No dead letters of " + s.name() + " from " + choice + ".");
            else ctx.notifySuccess(Formats.count(n, "dead letter", "dead letters") + " of " + s.name() + " queued again, in order.");
            ctx.changed();
        }, ctx::failed);
    }

    /** Health in its colour: disabled in red, failing in amber. */
    private static final class HealthCell extends TableCell<DeliveriesModel.Row, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("cell-ok", "cell-warn", "cell-error");
            setText(empty ? null : item);
            DeliveriesModel.Row r = empty || getTableRow() == null ? null : getTableRow().getItem();
            if (r == null) return;
            getStyleClass().add(switch (r.subscription().health()) {
                case "healthy" -> "cell-ok";
                case "failing" -> "cell-warn";
                default -> "cell-error";
            });
            setTooltip(r.subscription().disabledReason() == null ? null : new javafx.scene.control.Tooltip(r.subscription().disabledReason()));
        }
    }

    /** A count of dead letters: red when there are any. */
    private static final class CountCell extends TableCell<DeliveriesModel.Row, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().remove("cell-error");
            setText(empty ? null : item);
            if (!empty && item != null && !item.equals("0")) getStyleClass().add("cell-error");
        }
    }

    private static final class DeliveryStatusCell extends TableCell<DeliveryView, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("cell-ok", "cell-warn", "cell-error");
            setText(empty ? null : item);
            DeliveryView v = empty || getTableRow() == null ? null : getTableRow().getItem();
            if (v == null) return;
            getStyleClass().add(switch (v.status()) {
                case "delivered" -> "cell-ok";
                case "failed" -> "cell-error";
                default -> "cell-warn";
            });
        }
    }
}
