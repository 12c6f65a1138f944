package com.airotech.connect;

/**
 * The jar's entry point. A plain class (not a JavaFX Application) so that {@code java -jar} works
 * from a fat jar without the JavaFX modules on the module path.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Main.main(args);
    }
}
