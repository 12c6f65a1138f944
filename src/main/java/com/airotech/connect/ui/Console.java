package com.airotech.connect.ui;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javafx.stage.Stage;

/**
 * {@code airotech-connect} with no arguments: checks that a window can open, opens the platform,
 * shows the console and starts the embedded gateway in this process. Returns when the window closes.
 */
public final class Console {
    /** Held so the level set on it is not lost to garbage collection. */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private Console() {}

    /**
     * @param base  the configuration from the command line (defaults when none was given)
     * @param givenOnCommandLine which options the operator typed; those win over the saved settings for this run
     */
    public static int run(Config base, Predicate<String> givenOnCommandLine) {
        boolean monocle = "Monocle".equalsIgnoreCase(System.getProperty("glass.platform"));
        String problem = monocle ? null : DisplayCheck.problem(System.getenv(), Files::exists);
        if (problem != null) {
            System.err.println(problem);
            return 3;
        }
        // JavaFX warns on every start that it runs from the class path (the fat jar); that is intended
        JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        ConsoleSettings settings = settingsFor(base, givenOnCommandLine);
        GatewayHost host = new GatewayHost(settings.applyTo(base));
        // a logout or SIGTERM stops the embedded gateway cleanly too (requests in flight finish, the writer flushes)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                host.close();
            } catch (RuntimeException e) {
                // the window is already gone: nothing left to tell
            }
        }, "console-shutdown"));
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // SIGTERM (a logout, systemd) and Ctrl-C close the console the way its window does: JavaFX
        // stops first, then the gateway, and the process exits 0. (Left to the JVM's shutdown, the
        // renderer is torn down under a running pulse and JavaFX prints a stack trace.)
        try (com.airotech.connect.common.StopSignals signals = com.airotech.connect.common.StopSignals.handle(number -> closed.countDown())) {
            try {
                javafx.application.Platform.startup(() -> {
                    try {
                        nameTheApplication();
                        ConsoleWindow.open(new Stage(), host, settings).onClosed(closed::countDown);
                    } catch (RuntimeException | Error e) {
                        failure.set(e);
                        closed.countDown();
                    }
                });
            } catch (RuntimeException | Error e) {
                host.close();
                System.err.println(DisplayCheck.startFailed(System.getenv(), e));
                return 3;
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        javafx.application.Platform.exit();
        host.close();
        if (failure.get() != null) {
            System.err.println(DisplayCheck.startFailed(System.getenv(), failure.get()));
            return 3;
        }
        return 0;
    }

    /** The X11 window class of every window, which docks match against the desktop entry's StartupWMClass. */
    static final String WINDOW_CLASS = "airotech-connect";

    /**
     * Gives the windows their own class instead of "java" (so the dock shows them under the
     * desktop entry, not with every other Java program). JavaFX takes it from its glass
     * application's name, which only {@code Application.launch} sets; the console starts JavaFX
     * with {@code Platform.startup}, so it sets the name itself, on the FX thread before the first
     * Stage. The class is internal: the packaged runtime exports it to the application
     * ({@code --add-exports}); where it is not reachable the windows keep the class "java".
     */
    private static void nameTheApplication() {
        try {
            Class<?> glass = Class.forName("com.sun.glass.ui.Application");
            Object app = glass.getMethod("GetApplication").invoke(null);
            glass.getMethod("setName", String.class).invoke(app, WINDOW_CLASS);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(Console.class).debug("window class stays \"java\": {}", e.toString());
        }
    }

    /** The saved settings, with what was typed on the command line taking precedence for this run. */
    static ConsoleSettings settingsFor(Config base, Predicate<String> given) {
        ConsoleSettings saved = ConsoleSettings.load(base.dataDir());
        if (saved == null) return ConsoleSettings.from(base);
        return new ConsoleSettings(
                given.test("--bind") ? base.bind() : saved.bind(),
                given.test("--http-port") ? base.httpPort() : saved.httpPort(),
                given.test("--https-port") ? base.httpsPort() : saved.httpsPort(),
                given.test("--kafka-bootstrap") ? base.kafkaBootstrap() : saved.kafkaBootstrap(),
                saved.outboundAllowedNetworks(), saved.activeTenantId(),
                given.test("--kafka-properties") ? (base.kafkaProperties() == null ? null : base.kafkaProperties().toString()) : saved.kafkaProperties());
    }
}
