package com.airotech.connect.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells caches that tenants, tokens, connectors or credentials changed, in this process or in
 * another one sharing the data directory (the command line beside a running gateway). Triggers
 * bump a counter on every such change; this polls it every 100 ms.
 */
public final class ChangeWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

    private final Database db;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private long seen = -1;

    public ChangeWatcher(Database db, boolean poll) {
        this.db = db;
        if (poll) {
            // the version as of now, so a change made by another process before the first poll is noticed too
            try {
                seen = version();
            } catch (RuntimeException e) {
                seen = -1;
            }
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "change-watcher");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    public void onChange(Runnable listener) { listeners.add(listener); }

    /** Notifies every listener now (after a change made in this process). */
    public void changed() {
        for (Runnable r : listeners) r.run();
    }

    private long version() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM change_counter WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    void check() {
        try {
            long v = version();
            if (seen >= 0 && v != seen) changed();
            seen = v;
        } catch (RuntimeException e) {
            log.warn("could not check for configuration changes: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
