package com.airotech.connect.ui;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.FilePicker;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console on a real platform: a fresh data directory with a real SQLite file, the embedded
 * gateway on a free loopback port, a clock the test can move, and the window on a TestFX stage.
 */
public final class ConsoleFixture implements AutoCloseable {
    public final Path dataDir = TestGateway.tempDir().resolve("data");
    public final MutableClock clock = new MutableClock();
    public final GatewayHost host;
    public final ConsoleWindow window;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Where the file dialogs save (under the name the console suggests) and what they open. */
    public final Path files = TestGateway.tempDir();
    public volatile Path nextOpen;
    /** What the folder dialog answers. */
    public volatile Path nextDirectory;
    /** The URLs the console asked the browser to open. */
    public final List<String> browsed = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Opens on the FX thread (a TestFX {@code @Start} method), HTTPS off. */
    public ConsoleFixture(Stage stage) { this(stage, false); }

    /** Opens on the FX thread; with {@code https} the HTTPS listener runs too, on a free port. */
    public ConsoleFixture(Stage stage, boolean https) {
        Config config = Config.defaults(dataDir).withPorts(0, https ? 0 : -1).withClock(clock);
        host = new GatewayHost(config);
        window = ConsoleWindow.open(stage, host, ConsoleSettings.from(config));
        window.context().setFiles(new FilePicker() {
            @Override public Path save(Window owner, String title, String suggestedName) { return files.resolve(suggestedName); }

            @Override public Path open(Window owner, String title) { return nextOpen; }

            @Override public Path directory(Window owner, String title) { return nextDirectory; }
        });
        window.context().setBrowser(browsed::add);
    }

    public ConsoleContext ctx() { return window.context(); }

    /** Waits until the gateway listens (it starts in the background). */
    public int port() {
        waitUntil(() -> host.status().state() == GatewayHost.State.LISTENING);
        return host.status().httpPort();
    }

    /** A tenant made through the service, made active in the console. */
    public Tenant tenant(String name) {
        // the window's first read of the tenants must not overwrite the one added here
        waitUntil(() -> ctx().tenantsSeen());
        CreatedTenant t = host.platform().tenants().create(name, null, "test");
        fx(() -> {
            ctx().tenants().add(t.tenant());
            ctx().activeTenant().set(t.tenant());
            return null;
        });
        return t.tenant();
    }

    public Principal principal(Tenant t) { return Principal.local(t.tenantId()); }

    /** Lets the tenant's connections reach loopback, where the fake systems of tests listen (the default allows nothing). */
    public Tenant allowLoopback(Tenant t) {
        host.platform().connections().changePolicy(principal(t), java.util.List.of("127.0.0.0/8", "::1/128"), null, false);
        return t;
    }

    public HttpResponse<String> post(String path, byte[] body, List<String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.size(); i += 2) b.header(headers.get(i), headers.get(i + 1));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> r) { return Json.tree(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)); }

    /** Runs on the FX thread and returns the result. */
    public static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void waitUntil(Supplier<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(condition::get));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("condition not met within 15 s; on screen: " + textsOnScreen().stream().filter(t -> !t.isBlank()).toList(), e);
        }
    }

    /** Clicks the on-screen control (a table cell, a label) that shows exactly {@code text}. */
    public static void clickText(org.testfx.api.FxRobot robot, String text) {
        waitUntil(() -> robot.lookup((Labeled l) -> text.equals(l.getText()) && l.getScene() != null && l.isVisible()).tryQuery().isPresent());
        robot.clickOn(robot.lookup((Labeled l) -> text.equals(l.getText()) && l.getScene() != null && l.isVisible()).queryAs(Labeled.class));
    }

    /** Every text shown in any open window (labels, fields, table cells). */
    public static List<String> textsOnScreen() {
        return fx(() -> {
            List<String> out = new ArrayList<>();
            for (Window w : new ArrayList<>(Window.getWindows())) {
                if (w.getScene() != null) collect(w.getScene().getRoot(), out);
            }
            return out;
        });
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Labeled l && l.getText() != null) out.add(l.getText());
        if (n instanceof TextInputControl t && t.getText() != null) out.add(t.getText());
        if (n instanceof javafx.scene.text.Text t && t.getText() != null) out.add(t.getText());
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, out);
    }

    @Override
    public void close() {
        fx(() -> {
            window.stage().hide();
            return null;
        });
        host.close();
    }
}
