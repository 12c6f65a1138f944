package com.airotech.connect.ui;

import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Screen;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.ViewLoader;
import java.util.EnumMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The window's frame: sidebar navigation, the tenant picker, the message line and the task bar. */
public final class MainController {
    private final ConsoleContext ctx;
    private final ViewLoader loader;
    private final Map<Screen, ViewLoader.Loaded<?>> loaded = new EnumMap<>(Screen.class);
    private final ToggleGroup navGroup = new ToggleGroup();

    @FXML private VBox nav;
    @FXML private StackPane content;
    @FXML private Label screenTitle;
    @FXML private ComboBox<Tenant> tenantPicker;
    @FXML private Label noTenantHint;
    @FXML private HBox noticeBar;
    @FXML private Label noticeText;
    @FXML private HBox taskBar;
    @FXML private Label taskTitle;
    @FXML private ProgressBar taskProgress;
    @FXML private Button taskCancel;
    @FXML private Label gatewayState;
    @FXML private Label gatewayUrl;

    public MainController(ConsoleContext ctx) {
        this.ctx = ctx;
        this.loader = new ViewLoader(ctx);
    }

    @FXML
    private void initialize() {
        for (Screen s : Screen.values()) {
            ToggleButton b = new ToggleButton(s.title());
            b.setId("nav-" + s.name().toLowerCase().replace('_', '-'));
            b.getStyleClass().add("nav-item");
            b.setMaxWidth(Double.MAX_VALUE);
            b.setToggleGroup(navGroup);
            b.setUserData(s);
            // choosing the screen already in view refreshes it
            b.setOnAction(e -> { if (ctx.screen().get() == s) show(s); else ctx.screen().set(s); });
            nav.getChildren().add(b);
        }
        // a selected nav item stays selected when clicked again
        navGroup.selectedToggleProperty().addListener((o, was, now) -> { if (now == null && was != null) was.setSelected(true); });
        ctx.screen().addListener((o, was, now) -> show(now));

        tenantPicker.setItems(ctx.tenants());
        tenantPicker.setCellFactory(l -> new TenantCell());
        tenantPicker.setButtonCell(new TenantCell());
        tenantPicker.valueProperty().bindBidirectional(ctx.activeTenant());
        tenantPicker.visibleProperty().bind(Bindings.isNotEmpty(ctx.tenants()));
        tenantPicker.managedProperty().bind(tenantPicker.visibleProperty());
        noTenantHint.visibleProperty().bind(Bindings.isEmpty(ctx.tenants()));
        noTenantHint.managedProperty().bind(noTenantHint.visibleProperty());

        ctx.notice().addListener((o, was, n) -> showNotice(n));
        noticeBar.setVisible(false);
        noticeBar.setManaged(false);

        ctx.background().visibleTask().addListener((o, was, t) -> showTask(t));
        taskBar.setVisible(false);
        taskBar.setManaged(false);

        ctx.gatewayStatus().addListener((o, was, s) -> showGateway(s));
        showGateway(ctx.gatewayStatus().get());
        show(ctx.screen().get());
    }

    private void show(Screen s) {
        ViewLoader.Loaded<?> v = loaded.computeIfAbsent(s, k -> loader.load(k.view()));
        content.getChildren().setAll(v.root());
        screenTitle.setText(s.title());
        navGroup.getToggles().stream().filter(t -> t.getUserData() == s).findFirst().ifPresent(t -> t.setSelected(true));
        if (v.controller() instanceof ScreenController sc) sc.shown();
    }

    /** The controller of a screen, loading it if needed (tests and screenshots use this). */
    public Object controller(Screen s) { return loaded.computeIfAbsent(s, k -> loader.load(k.view())).controller(); }

    private void showNotice(ConsoleContext.Notice n) {
        noticeBar.getStyleClass().removeAll("notice-info", "notice-success", "notice-error");
        if (n == null) {
            noticeBar.setVisible(false);
            noticeBar.setManaged(false);
            return;
        }
        noticeBar.getStyleClass().add("notice-" + n.severity().name().toLowerCase());
        noticeText.setText(n.text());
        noticeBar.setVisible(true);
        noticeBar.setManaged(true);
    }

    @FXML
    private void dismissNotice() { ctx.notice().set(null); }

    private void showTask(Task<?> t) {
        if (t == null) return;
        taskTitle.textProperty().bind(Bindings.when(t.messageProperty().isEmpty()).then(t.titleProperty()).otherwise(t.messageProperty()));
        taskProgress.progressProperty().bind(t.progressProperty());
        taskCancel.setOnAction(e -> t.cancel());
        taskBar.visibleProperty().bind(t.runningProperty());
        taskBar.managedProperty().bind(t.runningProperty());
    }

    private void showGateway(GatewayHost.Status s) {
        gatewayState.getStyleClass().removeAll("state-ok", "state-warn", "state-error");
        if (s == null) return;
        switch (s.state()) {
            case LISTENING -> {
                gatewayState.setText("Gateway listening");
                gatewayState.getStyleClass().add("state-ok");
                gatewayUrl.setText(s.httpUrl());
            }
            case STARTING, STOPPED -> {
                gatewayState.setText(s.state() == GatewayHost.State.STARTING ? "Gateway starting…" : "Gateway stopped");
                gatewayState.getStyleClass().add("state-warn");
                gatewayUrl.setText("");
            }
            case FAILED -> {
                gatewayState.setText("Gateway not running");
                gatewayState.getStyleClass().add("state-error");
                gatewayUrl.setText("See Overview");
            }
        }
    }

    static final class TenantCell extends ListCell<Tenant> {
        @Override
        protected void updateItem(Tenant t, boolean empty) {
            super.updateItem(t, empty);
            setText(empty || t == null ? null : t.name());
        }
    }
}
