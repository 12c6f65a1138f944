package com.airotech.connect.ui.common;

import com.airotech.connect.app.ConsoleSettings;
import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.app.Platform;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * What every screen shares: the gateway host (services are taken from it at the moment of use),
 * the active tenant, the live feed, background work, and a message line. Built once per console
 * window and handed to controllers through their constructors.
 */
public final class ConsoleContext implements AutoCloseable {
    public enum Severity { INFO, SUCCESS, ERROR }

    public record Notice(Severity severity, String text) {}

    private final GatewayHost host;
    private final Background background = new Background();
    private final LiveFeed feed;
    private final ObjectProperty<Tenant> activeTenant = new SimpleObjectProperty<>();
    private final ObservableList<Tenant> tenants = FXCollections.observableArrayList();
    private final ObjectProperty<GatewayHost.Status> gatewayStatus = new SimpleObjectProperty<>();
    private final ObjectProperty<Notice> notice = new SimpleObjectProperty<>();
    private final ObjectProperty<Screen> screen = new SimpleObjectProperty<>(Screen.OVERVIEW);
    private final LongProperty tick = new SimpleLongProperty();
    private final LongProperty changes = new SimpleLongProperty();
    private final Timeline drainTimer;
    private final Timeline secondTimer;
    private final Object saveLock = new Object();
    private volatile ConsoleSettings settings;
    private Window window;
    private boolean tenantsSeen;
    private FilePicker files = FilePicker.SYSTEM;
    private java.util.function.Consumer<String> browser = ConsoleContext::systemBrowser;

    public ConsoleContext(GatewayHost host, ConsoleSettings settings) {
        this.host = host;
        this.settings = settings;
        this.feed = new LiveFeed(host.config().clock());
        host.addIngestObserver(feed);
        gatewayStatus.set(host.status());
        host.onStatus(s -> javafx.application.Platform.runLater(() -> gatewayStatus.set(s)));
        drainTimer = new Timeline(new KeyFrame(Duration.millis(250), e -> feed.drain()));
        drainTimer.setCycleCount(Animation.INDEFINITE);
        drainTimer.play();
        secondTimer = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick.set(tick.get() + 1)));
        secondTimer.setCycleCount(Animation.INDEFINITE);
        secondTimer.play();
        activeTenant.addListener((o, was, now) -> {
            String id = now == null ? null : now.tenantId();
            if (!Objects.equals(id, this.settings.activeTenantId())) {
                this.settings = this.settings.withActiveTenant(id);
                background.call(this::saveSettings, x -> { }, this::failed);
            }
        });
    }

    /** Writes the settings as they are now; saves requested in a quick row never race for the file. */
    private Void saveSettings() {
        synchronized (saveLock) {
            settings.save(dataDir());
        }
        return null;
    }

    public GatewayHost host() { return host; }

    /** The platform now running; taken afresh for every use, since applying settings replaces it. */
    public Platform platform() { return host.platform(); }

    public Clock clock() { return host.config().clock(); }

    public Path dataDir() { return host.platform().dataDirectory().root(); }

    public Background background() { return background; }

    public LiveFeed feed() { return feed; }

    public ConsoleSettings settings() { return settings; }

    public void settingsApplied(ConsoleSettings s) { this.settings = s; }

    public ObjectProperty<Tenant> activeTenant() { return activeTenant; }

    public ObservableList<Tenant> tenants() { return tenants; }

    public ObjectProperty<GatewayHost.Status> gatewayStatus() { return gatewayStatus; }

    public ObjectProperty<Notice> notice() { return notice; }

    /** The screen in view; setting it navigates. */
    public ObjectProperty<Screen> screen() { return screen; }

    /** Counts seconds, for countdowns and "3 s ago" texts. */
    public ReadOnlyLongProperty tick() { return tick; }

    /** Bumped whenever the console changed something (a tenant, a connector) so screens refresh. */
    public ReadOnlyLongProperty changes() { return changes; }

    public void changed() { changes.set(changes.get() + 1); }

    /** The operator at this console acting on the active tenant; null when no tenant is chosen. */
    public Principal principal() {
        Tenant t = activeTenant.get();
        return t == null ? null : Principal.local(t.tenantId());
    }

    public void notifyInfo(String text) { notice.set(new Notice(Severity.INFO, text)); }

    public void notifySuccess(String text) { notice.set(new Notice(Severity.SUCCESS, text)); }

    public void notifyError(String text) { notice.set(new Notice(Severity.ERROR, text)); }

    public void failed(Throwable t) { notifyError(Problems.describe(t)); }

    public Window window() { return window; }

    /** The file dialogs (replaced in tests, where no native dialog exists). */
    public FilePicker files() { return files; }

    public void setFiles(FilePicker f) { this.files = Objects.requireNonNull(f); }

    /** Opens a web page in the operator's browser (an OAuth2 consent page). */
    public void openBrowser(String url) { browser.accept(url); }

    /** Replaces the browser (tests follow the consent themselves). */
    public void setBrowser(java.util.function.Consumer<String> b) { this.browser = Objects.requireNonNull(b); }

    /**
     * The system browser through JavaFX's host services. The console starts the toolkit without an
     * {@code Application} subclass, so a bare one stands in: host services need nothing else of it.
     */
    private static void systemBrowser(String url) {
        new javafx.application.Application() {
            @Override public void start(javafx.stage.Stage s) { }
        }.getHostServices().showDocument(url);
    }

    public void setWindow(Window w) { this.window = w; }

    /** True once the tenants were read for the first time. */
    public boolean tenantsSeen() { return tenantsSeen; }

    /** Reads the tenants again and keeps (or picks) the active one. */
    public void reloadTenants() {
        background.call(() -> platform().tenants().list(), this::tenantsLoaded, this::failed);
    }

    void tenantsLoaded(List<Tenant> list) {
        // a first start has nothing to show but the way to begin
        if (!tenantsSeen && list.isEmpty()) screen.set(Screen.TENANTS);
        tenantsSeen = true;
        tenants.setAll(list);
        Tenant current = activeTenant.get();
        String wanted = current != null ? current.tenantId() : settings.activeTenantId();
        Tenant pick = list.stream().filter(t -> t.tenantId().equals(wanted)).findFirst().orElse(list.isEmpty() ? null : list.get(0));
        activeTenant.set(pick);
    }

    @Override
    public void close() {
        drainTimer.stop();
        secondTimer.stop();
        background.close();
    }
}
