package com.airotech.connect.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides, before any JavaFX class is touched, whether a window can open here: JavaFX 21 on Linux
 * draws through GTK 3 on an X display. Without them the operator gets one sentence that says what
 * to install, and that the gateway also runs headless.
 */
public final class DisplayCheck {
    static final String GTK = "libgtk-3.so.0";
    static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
            "/usr/lib", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/lib64", "/lib", "/usr/local/lib");

    private DisplayCheck() {}

    /** Null when a window can open; otherwise the sentence to print. */
    public static String problem(Map<String, String> env, Predicate<Path> exists) {
        String display = env.get("DISPLAY");
        if (display == null || display.isBlank()) {
            return "The console needs a graphical desktop, but DISPLAY is not set: start it from a desktop session"
                    + " (with GTK 3 installed: sudo apt-get install libgtk-3-0), or run the gateway without a screen with: airotech-connect serve";
        }
        if (!gtkInstalled(env, exists)) {
            return "The console needs GTK 3, which is not installed: install it (Debian/Ubuntu: sudo apt-get install libgtk-3-0),"
                    + " or run the gateway without a screen with: airotech-connect serve";
        }
        return null;
    }

    static boolean gtkInstalled(Map<String, String> env, Predicate<Path> exists) {
        List<String> dirs = new ArrayList<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(d);
        dirs.addAll(LIBRARY_DIRS);
        for (String d : dirs) if (exists.test(Path.of(d, GTK))) return true;
        return false;
    }

    /** The sentence for a window system that refused to start although the checks passed. */
    static String startFailed(Map<String, String> env, Throwable e) {
        return "The console cannot open a window on display " + env.getOrDefault("DISPLAY", "(none)") + " (" + e.getMessage()
                + "): check that the desktop session is running and GTK 3 is installed (sudo apt-get install libgtk-3-0),"
                + " or run the gateway without a screen with: airotech-connect serve";
    }
}
