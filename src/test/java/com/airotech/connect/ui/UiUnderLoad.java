package com.airotech.connect.ui;

import static com.airotech.connect.ui.ConsoleFixture.fx;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.bench.LoadGenerator;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.ui.common.Screen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * A measuring tool, not a test: the console on a real gateway while a load generator posts a few
 * thousand events a second, recording the gaps between JavaFX pulses (an AnimationTimer asks for
 * one every frame) and how long a {@code runLater} waits, with the Events (live) and the Overview
 * screens in view. Run by hand: {@code java -cp … com.airotech.connect.ui.UiUnderLoad [rate] [seconds]}.
 */
public final class UiUnderLoad {
    private UiUnderLoad() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 3000;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 20;
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException running) {
            // already up
        }
        Platform.setImplicitExit(false);
        Path dir = TestGateway.tempDir().resolve("load");
        Config config = Config.defaults(dir).withPorts(0, -1);
        GatewayHost host = new GatewayHost(config);
        ConsoleWindow w = fx(() -> ConsoleWindow.open(new Stage(), host, ConsoleSettings.from(config)));
        ConsoleFixture.waitUntil(() -> host.status().state() == GatewayHost.State.LISTENING);
        CreatedTenant t = host.platform().tenants().create("load", null, Principal.localActor());
        Principal p = Principal.local(t.tenant().tenantId());
        Registration r = host.platform().connectors().register(p, new RegistrationRequest("load-gen", null, AuthMethod.API_KEY, null, 60, null));
        String key = r.issued().credential().utf8();
        fx(() -> {
            w.context().reloadTenants();
            return null;
        });
        ConsoleFixture.waitUntil(() -> w.context().activeTenant().get() != null);

        List<Long> frames = new CopyOnWriteArrayList<>();
        AnimationTimer timer = new AnimationTimer() {
            @Override public void handle(long now) { frames.add(System.nanoTime()); }
        };
        fx(() -> {
            timer.start();
            return null;
        });
        String path = "/api/events/ingest/" + t.tenant().tenantId() + "/" + r.connector().connectorId();
        int port = host.status().httpPort();
        for (Screen s : List.of(Screen.EVENTS, Screen.OVERVIEW)) {
            fx(() -> {
                w.context().screen().set(s);
                return null;
            });
            Thread.sleep(2000);
            measure(s + " idle", frames, () -> Thread.sleep(seconds * 1000 / 2));
            LoadGenerator.Result[] result = new LoadGenerator.Result[1];
            measure(s + " under load", frames, () -> result[0] = new LoadGenerator("127.0.0.1", port, 64, n -> request(port, path, key, s + "-" + n))
                    .openLoop(1000, seconds * 1000, rate));
            System.out.printf("  load: %.0f accepted/s (offered %.0f/s), p99 %d ms, shed %d, errors %d%n", result[0].rate(), result[0].offered(),
                    result[0].p99Micros() / 1000, result[0].shed(), result[0].errors());
        }
        fx(() -> {
            timer.stop();
            w.stage().close();
            return null;
        });
        host.close();
        Platform.exit();
    }

    interface Work { void run() throws Exception; }

    /** Runs {@code work} while pinging the FX thread every 10 ms; prints pulse gaps and runLater latency. */
    private static void measure(String what, List<Long> frames, Work work) throws Exception {
        frames.clear();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Thread pinger = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long sent = System.nanoTime();
                Platform.runLater(() -> latencies.add(System.nanoTime() - sent));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fx-pinger");
        pinger.setDaemon(true);
        pinger.start();
        work.run();
        pinger.interrupt();
        List<Long> f = new ArrayList<>(frames);
        List<Long> gaps = new ArrayList<>();
        long worstAt = 0;
        long worst = 0;
        for (int i = 1; i < f.size(); i++) {
            long g = f.get(i) - f.get(i - 1);
            gaps.add(g);
            if (g > worst) {
                worst = g;
                worstAt = f.get(i - 1) - f.get(0);
            }
        }
        Collections.sort(gaps);
        List<Long> lat = new ArrayList<>(latencies);
        Collections.sort(lat);
        System.out.printf("%-22s pulses %5d  gap p50 %5.1f ms  p99 %6.1f ms  max %6.1f ms  >100 ms: %d | runLater p50 %5.1f ms  p99 %6.1f ms  max %6.1f ms%n",
                what, f.size(), ms(pct(gaps, 50)), ms(pct(gaps, 99)), ms(max(gaps)), gaps.stream().filter(g -> g > 100_000_000L).count(),
                ms(pct(lat, 50)), ms(pct(lat, 99)), ms(max(lat)));
        System.out.printf("  longest pulse gap began %.1f s into the phase%n", worstAt / 1e9);
    }

    private static long pct(List<Long> sorted, int p) { return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)); }

    private static long max(List<Long> sorted) { return sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1); }

    private static double ms(long nanos) { return nanos / 1e6; }

    private static byte[] request(int port, String path, String key, String id) {
        byte[] body = ("{\"event_type\":\"reading\",\"event_id\":\"" + id + "\",\"data\":{\"value\":21.5}}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nX-Api-Key: " + key
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[head.length + body.length];
        System.arraycopy(head, 0, req, 0, head.length);
        System.arraycopy(body, 0, req, head.length, body.length);
        return req;
    }
}
