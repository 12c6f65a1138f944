package com.airotech.connect.ui.common;

import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;

/** Modal windows over the console, styled like it. */
public final class Dialogs {
    private Dialogs() {}

    public record Opened<C>(Stage stage, C controller) {}

    public static <C> Opened<C> modal(ConsoleContext ctx, FxmlView view, String title) {
        ViewLoader.Loaded<C> loaded = new ViewLoader(ctx).load(view);
        Stage stage = new Stage();
        stage.setTitle(title);
        if (ctx.window() != null) stage.initOwner(ctx.window());
        stage.initModality(Modality.WINDOW_MODAL);
        Scene scene = new Scene(loaded.root());
        scene.getStylesheets().add(Dialogs.class.getResource(FxmlView.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        return new Opened<>(stage, loaded.controller());
    }

    /**
     * Grows the dialog holding {@code n} to fit what it shows now (a result sentence that wraps
     * over several lines), so its buttons never slide out of the window.
     */
    public static void refit(javafx.scene.Node n) {
        javafx.application.Platform.runLater(() -> {
            if (n.getScene() != null && n.getScene().getWindow() instanceof Stage s && s.isShowing()) s.sizeToScene();
        });
    }

    /** Shows a credential once; it is wiped from the dialog when the dialog closes. */
    public static Stage showOnce(ConsoleContext ctx, OneTimeSecret secret) {
        Opened<ShowOnceController> d = modal(ctx, FxmlView.SHOW_ONCE, "Store the credential now");
        d.controller().present(d.stage(), secret);
        d.stage().show();
        return d.stage();
    }
}
