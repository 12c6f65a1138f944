package com.airotech.connect.app;

import com.airotech.connect.gateway.Gateway;
import com.airotech.connect.ingest.IngestObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's hold on the platform: opens it, starts the embedded gateway, and restarts both
 * with new settings when the operator applies them. Callers take services from {@link #platform()}
 * at the moment of use, because a restart replaces the platform; ingest observers registered here
 * follow every restart.
 */
public final class GatewayHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayHost.class);

    public enum State { STARTING, LISTENING, FAILED, STOPPED }

    /** What the gateway is doing, with the addresses it listens on (-1 = not listening). */
    public record Status(State state, String bind, int httpPort, int httpsPort, String problem) {
        public String httpUrl() { return httpPort < 0 ? null : "http://" + hostForUrl() + ":" + httpPort; }

        public String httpsUrl() { return httpsPort < 0 ? null : "https://" + hostForUrl() + ":" + httpsPort; }

        private String hostForUrl() {
            String h = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
            return h.contains(":") ? "[" + h + "]" : h;
        }
    }

    /** The outcome of applying new settings: whether they took effect, and the status after. */
    public record Restart(boolean applied, Status status, String message) {}

    private final List<IngestObserver> observers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Status>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile Platform platform;
    private volatile Status status;
    /** False between closing the platform and opening its successor (which may fail). */
    private boolean open = true;

    public GatewayHost(Config config) {
        this.platform = Platform.open(config);
        this.status = new Status(State.STOPPED, config.bind(), -1, -1, null);
    }

    public Platform platform() { return platform; }

    public Config config() { return platform.config(); }

    public Status status() { return status; }

    /** Called (on the thread that changed it) whenever the status changes, including after a restart. */
    public void onStatus(Consumer<Status> listener) { statusListeners.add(listener); }

    public void addIngestObserver(IngestObserver o) {
        observers.add(o);
        platform.ingest().addObserver(o);
    }

    /** Starts the gateway; a failure (port taken, another gateway on the data directory) is reported, not thrown. */
    public synchronized Status start() {
        Config c = platform.config();
        setStatus(new Status(State.STARTING, c.bind(), -1, -1, null));
        try {
            Gateway g = platform.startGateway();
            setStatus(new Status(State.LISTENING, c.bind(), g.httpPort(), g.httpsPort(), null));
        } catch (RuntimeException e) {
            log.warn("the embedded gateway did not start: {}", e.getMessage());
            setStatus(new Status(State.FAILED, c.bind(), -1, -1, e.getMessage()));
        }
        return status;
    }

    /**
     * Stops the platform and opens it again with {@code next}. When the gateway does not come up
     * with the new configuration, the previous one is restored and started, so the console is
     * never left without a gateway because of a typo.
     */
    public synchronized Restart restart(Config next) {
        Config previous = platform.config();
        String why;
        try {
            reopen(next);
            Status s = start();
            if (s.state() == State.LISTENING) return new Restart(true, s, "The gateway restarted with the new settings.");
            why = s.problem();
        } catch (RuntimeException e) {
            // the platform itself did not open with them (a Kafka properties file that is not there, say)
            log.warn("the platform did not open with the new settings: {}", e.getMessage());
            why = e.getMessage();
        }
        reopen(previous);
        Status back = start();
        return new Restart(false, back, "The new settings were not applied: " + why
                + (back.state() == State.LISTENING ? " The gateway runs again with the previous settings." : ""));
    }

    private void reopen(Config c) {
        setStatus(new Status(State.STOPPED, c.bind(), -1, -1, null));
        if (open) {
            platform.close();
            open = false;
        }
        Platform p = Platform.open(c);
        open = true;
        for (IngestObserver o : observers) p.ingest().addObserver(o);
        platform = p;
    }

    private void setStatus(Status s) {
        status = s;
        for (Consumer<Status> l : statusListeners) l.accept(s);
    }

    @Override
    public synchronized void close() {
        if (open) platform.close();
        open = false;
        setStatus(new Status(State.STOPPED, platform.config().bind(), -1, -1, null));
    }
}
