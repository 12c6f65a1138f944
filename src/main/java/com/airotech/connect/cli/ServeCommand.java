package com.airotech.connect.cli;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.backup.BackupSchedule;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.StopSignals;
import com.airotech.connect.gateway.Gateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code serve}: the gateway headless, as the service runs it (API.md §1, §8). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway headless (site servers, services, tests); stops cleanly on SIGTERM.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin BackupCommands.ScheduleOptions backups;

    @Override
    public Integer call() throws InterruptedException {
        Config cfg = common.toConfig();
        Platform platform = Platform.open(cfg);
        Gateway g;
        BackupSchedule schedule;
        try {
            g = platform.startGateway();
            schedule = backups.start(platform);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
        // SIGTERM (the service manager) and SIGINT (Ctrl-C) stop the gateway in order here, and the
        // process exits 0: a clean stop is a success. Any other way out (SIGHUP, an exit from
        // elsewhere) still closes it, through the shutdown hook.
        // A second signal while stopping (Ctrl-C again) ends the process at once: what was
        // acknowledged is on disk already, as after kill -9.
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        try (StopSignals handled = StopSignals.handle(number -> {
            if (signals.incrementAndGet() > 1) {
                System.err.println("Stopping at once (second signal); acknowledged events are already on disk.");
                Runtime.getRuntime().halt(128 + number);
            }
            stopRequested.countDown();
        })) {
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "shutdown"));
            ObjectNode line = Json.object().put("event", "listening").put("http_port", g.httpPort());
            if (g.httpsPort() >= 0) line.put("https_port", g.httpsPort()); else line.putNull("https_port");
            line.put("data_dir", platform.dataDirectory().root().toString());
            Output.print(line);
            stopRequested.await();
            if (schedule != null) schedule.close();
            platform.close();
            return 0;
        }
    }
}
