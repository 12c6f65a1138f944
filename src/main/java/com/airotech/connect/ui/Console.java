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
        try {
            javafx.application.Platform.startup(() -> {
                try {
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
        javafx.application.Platform.exit();
        host.close();
        if (failure.get() != null) {
            System.err.println(DisplayCheck.startFailed(System.getenv(), failure.get()));
            return 3;
        }
        return 0;
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
