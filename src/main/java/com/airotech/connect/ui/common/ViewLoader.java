package com.airotech.connect.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Loads FXML views; controllers get the {@link ConsoleContext} through their constructor (plain
 * constructor injection, no static state).
 */
public final class ViewLoader {
    private final ConsoleContext ctx;

    public ViewLoader(ConsoleContext ctx) { this.ctx = ctx; }

    /** A loaded view and its controller. */
    public record Loaded<C>(Parent root, C controller) {}

    public <C> Loaded<C> load(FxmlView view) {
        URL url = ViewLoader.class.getResource(view.resource());
        if (url == null) throw new IllegalStateException("missing view " + view.resource());
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(type -> {
            try {
                try {
                    return type.getConstructor(ConsoleContext.class).newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return type.getConstructor().newInstance();
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create controller " + type.getName(), e);
            }
        });
        try {
            Parent root = loader.load();
            return new Loaded<>(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load view " + view.resource(), e);
        }
    }
}
