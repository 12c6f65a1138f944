package com.airotech.connect.store;

import com.airotech.connect.common.ReportThrottle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database without blocking the writer (PASSIVE checkpoints).
 * Under sustained writes a passive checkpoint never finishes the WAL, because frames keep
 * arriving while it copies, and SQLite only starts the WAL over once every frame is back: the
 * file would grow without end. So the background thread catches up to within {@link #TAIL_FRAMES}
 * of the end, then asks the writer to copy that short tail itself between two commits
 * ({@link #betweenCommits}); the next commit then starts the WAL from the beginning again.
 */
final class Checkpointer implements AutoCloseable {
    /** The operator log keeps the name it always had. */
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** WAL frames (pages) after which the WAL should start over: 4096 frames is about 16 MiB. */
    private static final long RESTART_FRAMES = 4096;
    /** How close the background checkpoint must get before the writer copies the rest. */
    private static final long TAIL_FRAMES = 256;
    /**
     * The WAL's hard ceiling, and what it is truncated back to after a burst. When the background
     * checkpoint falls behind a writer that appends faster than the disk copies back (a slow disk),
     * the WAL file passes this size; the writer then waits for the background round and copies the
     * rest itself, so the WAL stays within about this size plus one batch.
     */
    static final long CEILING_BYTES = 64L << 20;
    /** How long after a pin the writer leaves the catching up to the background thread. */
    private static final long RECOVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Path walFile;
    private final Thread thread;
    /** Held around every checkpoint call: SQLite refuses a second checkpoint instead of waiting. */
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReportThrottle checkpointFailures = new ReportThrottle(Duration.ofMinutes(1));
    private volatile boolean closing;
    private volatile boolean paused;
    private volatile boolean tailCheckpointWanted;

    /** The writer's own: frames its last over-ceiling checkpoint had copied, and until when a pinned WAL is left alone. */
    private long writerLastDone = -1;
    private long pinnedUntilNanos = System.nanoTime();
    /** When a reader's snapshot was last seen to pin the WAL, and whether the background's last round copied anything. */
    private volatile long pinSeenNanos = System.nanoTime() - RECOVERY_NANOS;
    private volatile boolean backgroundProgressing = true;

    /** Starts the background thread on its own connection {@code c} (closed when the thread ends). */
    Checkpointer(Path walFile, Connection c) {
        this.walFile = walFile;
        this.thread = new Thread(() -> loop(c), "sqlite-checkpointer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Tests: stands for a background checkpointer that cannot keep up at all (a very slow disk). */
    void pause(boolean paused) { this.paused = paused; }

    private void loop(Connection c) {
        try (Statement s = c.createStatement()) {
            long lastDone = -1;
            while (!closing) {
                if (paused) {
                    synchronized (thread) { thread.wait(20); }
                    continue;
                }
                long frames;
                long done;
                checkpointLock.lock();
                try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    rs.next();
                    frames = rs.getLong(2);
                    done = rs.getLong(3);
                } catch (SQLException e) {
                    // a full disk or an I/O error: try again in a second (the writer's ceiling bounds the WAL meanwhile)
                    if (checkpointFailures.occurred(1) > 0) {
                        log.warn("A WAL checkpoint failed ({}); retrying every second. Until one succeeds the WAL file grows, up to {} MiB.",
                                e.getMessage(), CEILING_BYTES >> 20);
                    }
                    synchronized (thread) { thread.wait(1000); }
                    continue;
                } finally {
                    checkpointLock.unlock();
                }
                checkpointFailures.clear();
                long behind = frames - done;
                boolean stuck = done == lastDone && behind > 0;
                backgroundProgressing = !stuck;
                if (stuck) pinSeenNanos = System.nanoTime();
                lastDone = done;
                if (frames >= RESTART_FRAMES) {
                    // time to start over: catch up (each round copies what the writer added during the last),
                    // unless a reader's snapshot (a backup's long VACUUM INTO) keeps the rest from being
                    // copied: then retrying at once would only spin and hold the lock the writer may need
                    if (behind > TAIL_FRAMES && !stuck) continue;
                    if (!stuck) tailCheckpointWanted = true;
                }
                // copying rarely copies each page once for many commits that rewrote it
                synchronized (thread) { thread.wait(frames >= RESTART_FRAMES ? 20 : 250); }
            }
        } catch (SQLException e) {
            log.warn("Background WAL checkpoints stopped ({}); the writer now copies the WAL back itself whenever it passes {} MiB, which slows writes.", e.getMessage(), CEILING_BYTES >> 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Sqlite.closeQuietly(c);
        }
    }

    /**
     * On the writer, between commits: copies the last frames so the next commit restarts the WAL,
     * when the background thread asks for it or when the WAL has passed its ceiling (then this
     * waits for a running background round: that wait is the back-pressure of a slow disk).
     */
    void betweenCommits(WriteContext ctx) {
        long now = System.nanoTime();
        long wal = walBytes();
        boolean over = now - pinnedUntilNanos >= 0 && wal > CEILING_BYTES;
        if (!tailCheckpointWanted && !over) return;
        tailCheckpointWanted = false;
        // After a reader held a snapshot (a backup) the WAL is far past the ceiling, and the background
        // thread copies it back round after round: waiting for those rounds would stall every commit
        // for as long as a round takes. While it makes progress the writer only joins in when the lock
        // is free, up to a hard limit; the back-pressure for a disk that cannot keep up stays as it was.
        boolean recovering = now - pinSeenNanos < RECOVERY_NANOS && backgroundProgressing && wal < 4 * CEILING_BYTES;
        if (over && !recovering) {
            checkpointLock.lock();
        } else if (!checkpointLock.tryLock()) {
            // asked for by the background thread, which has started another round meanwhile: that round
            // copies the tail as well, and the writer never waits for it below the ceiling
            return;
        }
        try (ResultSet rs = ctx.prepare("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
            rs.next();
            long done = rs.getLong(3);
            // nothing copied: a reader's snapshot pins the WAL (a long backup); the WAL grows until it
            // ends, and the writer does not try again for a while instead of on every commit
            if (over && done == writerLastDone) {
                pinnedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
                pinSeenNanos = System.nanoTime();
            }
            writerLastDone = done;
        } catch (SQLException e) {
            log.warn("WAL checkpoint on the writer failed: {}", e.getMessage());
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * The WAL file's size: it only grows past the ceiling (it is truncated back to it when the WAL
     * starts over) while it holds more frames than that.
     */
    private long walBytes() {
        try {
            return Files.size(walFile);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Asks the thread to stop at its next round (close waits for it). */
    void stopSoon() { closing = true; }

    @Override
    public void close() {
        closing = true;
        synchronized (thread) { thread.notifyAll(); }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
