package com.airotech.connect.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The SQLite database: WAL, synchronous=FULL, foreign keys on. This class composes its parts and is
 * what the features hold:
 * <ul>
 *   <li>{@link Migrations}: the numbered scripts, applied on open (after the integrity check);</li>
 *   <li>{@link ReaderPool}: reads, on a few read-only connections that never wait for the writer;</li>
 *   <li>{@link GroupCommitWriter}: one writer thread committing queued operations together, every
 *       caller answered only after the shared commit has reached the disk; its refusals (full disk,
 *       at capacity, shutting down) are {@link WriteRefusals}';</li>
 *   <li>{@link Checkpointer}: copies the WAL back without blocking the writer and keeps it bounded.</li>
 * </ul>
 * Refusals come out as {@link com.airotech.connect.common.ApiException}s of kind UNAVAILABLE (with a
 * retry time), damage and operator problems as {@link StorageException}s: nothing here knows HTTP.
 */
public final class Database implements AutoCloseable {
    private static final int READERS = 4;

    /** Why writes were refused (unavailable), as {@code /metrics} labels them. */
    public static final String DISK_FULL = "disk_full";
    public static final String AT_CAPACITY = "at_capacity";
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String STORAGE_ERROR = "storage_error";

    private final Path file;
    private final Path walFile;
    private final Connection writeConnection;
    private final ReaderPool readers;
    private final WriteRefusals refusals;
    private final Checkpointer checkpointer;
    private final GroupCommitWriter writer;

    /**
     * Called once before the migrations of an existing database that has some to apply (never for a
     * new one), inside the migration's write transaction: nothing can change the database between
     * what it sees and the migration (the upgrade's automatic backup).
     */
    public interface BeforeMigrations {
        void run(int fromSchema, List<Integer> pending);
    }

    private Database(Path file, int queueCapacity, int maxBatch, BeforeMigrations beforeMigrations) throws SQLException {
        this.file = file;
        this.walFile = file.resolveSibling(file.getFileName() + "-wal");
        this.writeConnection = Sqlite.connect(file);
        try {
            // a damaged database (a torn copy, a failing disk) is refused before anything writes to it
            IntegrityCheck.onOpen(writeConnection, file);
            Migrations.apply(writeConnection, beforeMigrations);
        } catch (SQLException | RuntimeException e) {
            Sqlite.closeQuietly(writeConnection);
            throw e;
        }
        // The writer never checkpoints inside a commit (that stalls every caller of the batch); a
        // background thread copies the WAL back with PASSIVE checkpoints, which do not block it.
        try (Statement st = writeConnection.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
            // when the WAL starts over after a burst, give the disk back down to the ceiling
            st.execute("PRAGMA journal_size_limit=" + Checkpointer.CEILING_BYTES);
        }
        this.readers = new ReaderPool(file, READERS);
        this.refusals = new WriteRefusals(file.getParent());
        this.checkpointer = new Checkpointer(walFile, Sqlite.connect(file));
        this.writer = new GroupCommitWriter(writeConnection, queueCapacity, maxBatch, refusals, checkpointer);
    }

    /** Opens (creating and migrating) the database file; the file and its WAL are created 0600. */
    public static Database open(Path file, int queueCapacity, int maxBatch) {
        return open(file, queueCapacity, maxBatch, null);
    }

    /** As {@link #open(Path, int, int)}, calling {@code beforeMigrations} (may be null) before an existing database is migrated. */
    public static Database open(Path file, int queueCapacity, int maxBatch, BeforeMigrations beforeMigrations) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(DataDirectory.FILE_MODE));
            }
            return new Database(file, queueCapacity, maxBatch, beforeMigrations);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return open(file, queueCapacity, maxBatch, beforeMigrations);
        } catch (IOException | SQLException e) {
            if (e instanceof org.sqlite.SQLiteException se && (se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_NOTADB
                    || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT)) {
                throw IntegrityCheck.damaged(file, se.getMessage(), e);
            }
            if (Sqlite.isFull(e)) {
                throw new StorageException("Cannot open the database " + file + ": the disk is full. Free space on " + file.getParent() + ".", e);
            }
            throw new StorageException("Cannot open the database " + file + ": " + e.getMessage()
                    + ". Check that the disk has space and the data directory is writable.", e);
        }
    }

    public static Database open(Path file) { return open(file, 8192, 1024); }

    /** The newest schema this build can migrate to (a backup of a newer one cannot be restored by it). */
    public static int newestSchema() { return Migrations.newestSchema(); }

    public Path file() { return file; }

    /** The write-ahead log beside the database file. */
    public Path walFile() { return walFile; }

    public void setStats(WriterStats stats) { refusals.setStats(stats); }

    public int queueDepth() { return writer.queueDepth(); }

    public int maxBatch() { return writer.maxBatch(); }

    /**
     * How long the oldest queued write may have waited before {@link #submit} refuses new ones
     * (unavailable): under overload the gateway sheds load early instead of letting every answer grow late.
     */
    public void setMaxQueueDelay(Duration d) { writer.setMaxQueueDelay(d); }

    /** Lets the writer wait up to {@code linger} for a batch of {@code batch} writes before committing (0 = never wait). */
    public void setLinger(Duration linger, int batch) { writer.setLinger(linger, batch); }

    /** Tests: stands for a background checkpointer that cannot keep up at all (a very slow disk). */
    void pauseBackgroundCheckpoints(boolean paused) { checkpointer.pause(paused); }

    /** Runs {@code fn} on a read-only connection; a pool that stays empty for 10 s is unavailable. */
    public <T> T read(SqlFunction<Connection, T> fn) { return readers.read(fn); }

    /**
     * Queues a write. The future completes after the transaction holding it has committed, or
     * fails with the operation's own exception. A full queue is unavailable (at capacity).
     */
    public <T> CompletableFuture<T> submit(SqlFunction<WriteContext, T> fn) { return writer.submit(fn, false); }

    /**
     * Queues a write that only touches the database (no effect outside it), so the writer may run
     * it again: consecutive pure writes share one savepoint instead of one each, and only when one
     * of them fails is that run of writes rolled back and replayed one savepoint at a time. The
     * ingest hot path uses it; the outcome for every caller is the same as with {@link #submit}.
     */
    public <T> CompletableFuture<T> submitPure(SqlFunction<WriteContext, T> fn) { return writer.submit(fn, true); }

    /** A write that the caller waits for (administration, not the ingest hot path). */
    public <T> T write(SqlFunction<WriteContext, T> fn) { return writer.write(fn); }

    /** True while writes are refused because the disk (or the database's page limit) is full: SQLITE_FULL. */
    public boolean diskFull() { return refusals.diskFull(); }

    /** True when a write was refused in the last ten seconds because the writer's queue was full or too slow. */
    public boolean atCapacityRecently() { return refusals.atCapacityRecently(); }

    /** Stops taking writes, commits everything queued, then closes every connection. */
    @Override
    public void close() {
        checkpointer.stopSoon();
        writer.close();
        checkpointer.close();
        readers.close();
        Sqlite.closeQuietly(writeConnection);
    }
}
