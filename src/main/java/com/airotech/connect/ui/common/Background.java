package com.airotech.connect.ui.common;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;

/**
 * Runs blocking work (storage, the gateway's restart, exports) off the FX thread in
 * {@link Task}s. A long task can be made the visible one: the main window shows its title,
 * progress and a cancel button.
 */
public final class Background implements AutoCloseable {
    private final ExecutorService pool;
    private final ObjectProperty<Task<?>> visible = new SimpleObjectProperty<>();

    public Background() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "console-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public <T> Task<T> run(Task<T> task) {
        pool.execute(task);
        return task;
    }

    /** Runs a long task and shows it in the main window's task bar until it ends. */
    public <T> Task<T> runVisible(Task<T> task) {
        visible.set(task);
        pool.execute(task);
        return task;
    }

    /** The long task the main window shows (null when none). */
    public ReadOnlyObjectProperty<Task<?>> visibleTask() { return visible; }

    /** Runs {@code work} off the FX thread; the callbacks run on the FX thread. */
    public <T> Task<T> call(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> t = new Task<>() {
            @Override protected T call() throws Exception { return work.call(); }
        };
        t.setOnSucceeded(e -> onSuccess.accept(t.getValue()));
        t.setOnFailed(e -> onFailure.accept(t.getException()));
        return run(t);
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
