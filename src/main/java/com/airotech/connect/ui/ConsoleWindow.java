package com.airotech.connect.ui;

import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.ViewLoader;
import javafx.application.Application;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Builds the console's main window on a stage and starts the embedded gateway behind it. */
public final class ConsoleWindow {
    public static final double WIDTH = 1280;
    public static final double HEIGHT = 800;
    /**
     * AtlantaFX's Primer Light theme. Only its stylesheet is used: the 2.1.0 jar's classes are
     * Java 21 bytecode, while the stylesheet is all a theme is and loads on Java 17.
     */
    static final String THEME = "/atlantafx/base/theme/primer-light.css";

    private final Stage stage;
    private final ConsoleContext ctx;
    private final MainController main;

    private ConsoleWindow(Stage stage, ConsoleContext ctx, MainController main) {
        this.stage = stage;
        this.ctx = ctx;
        this.main = main;
    }

    /** Shows the console on {@code stage} (FX thread) and starts the gateway in the background. */
    public static ConsoleWindow open(Stage stage, GatewayHost host, ConsoleSettings settings) {
        Application.setUserAgentStylesheet(ConsoleWindow.class.getResource(THEME).toExternalForm());
        ConsoleContext ctx = new ConsoleContext(host, settings);
        ViewLoader.Loaded<MainController> loaded = new ViewLoader(ctx).load(FxmlView.MAIN);
        Scene scene = new Scene(loaded.root(), WIDTH, HEIGHT);
        scene.getStylesheets().add(ConsoleWindow.class.getResource(FxmlView.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.setTitle("AIROTECH Connect");
        stage.setMinWidth(1024);
        stage.setMinHeight(680);
        ctx.setWindow(stage);
        stage.setOnHidden(e -> ctx.close());
        stage.show();
        if (host.status().state() != GatewayHost.State.LISTENING) {
            ctx.background().run(new Task<GatewayHost.Status>() {
                @Override protected GatewayHost.Status call() { return host.start(); }
            });
        }
        ctx.reloadTenants();
        return new ConsoleWindow(stage, ctx, loaded.controller());
    }

    public ConsoleWindow onClosed(Runnable r) {
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> r.run());
        return this;
    }

    public Stage stage() { return stage; }

    public ConsoleContext context() { return ctx; }

    public MainController main() { return main; }
}
