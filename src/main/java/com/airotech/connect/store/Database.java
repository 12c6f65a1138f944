package com.airotech.connect.store;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.ReportThrottle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite database: WAL, synchronous=FULL, foreign keys on. One writer thread owns the write
 * connection and commits queued operations together (group commit): each operation runs in its own
 * savepoint, so one failing operation does not undo its neighbours, and every caller is answered only
 * after the shared commit has reached the disk. Reads use a small pool of separate connections.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int READERS = 4;
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
    private static final long CEILING_BYTES = 64L << 20;

    private final Path file;
    private final Connection writeConnection;
    private final BlockingQueue<Connection> readers;
    private final BlockingQueue<Op<?>> queue;
    private final int maxBatch;
    private final Thread writer;
    private final Thread checkpointer;
    private volatile boolean closing;
    private volatile WriterStats stats = WriterStats.NONE;
    private volatile long maxQueueDelayNanos = TimeUnit.MILLISECONDS.toNanos(50);
    private volatile boolean tailCheckpointWanted;
    /** Held around every checkpoint call: SQLite refuses a second checkpoint instead of waiting. */
    private final java.util.concurrent.locks.ReentrantLock checkpointLock = new java.util.concurrent.locks.ReentrantLock();
    private final Path walFile;
    private volatile boolean backgroundCheckpointsPaused;
    private volatile long lingerNanos;
    private volatile int lingerBatch;

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
        this.maxBatch = maxBatch;
        this.writeConnection = connect(file);
        try {
            // a damaged database (a torn copy, a failing disk) is refused before anything writes to it
            IntegrityCheck.onOpen(writeConnection, file);
            migrate(writeConnection, beforeMigrations);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writeConnection);
            throw e;
        }
        // The writer never checkpoints inside a commit (that stalls every caller of the batch); a
        // background thread copies the WAL back with PASSIVE checkpoints, which do not block it.
        try (Statement st = writeConnection.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
            // when the WAL starts over after a burst, give the disk back down to the ceiling
            st.execute("PRAGMA journal_size_limit=" + CEILING_BYTES);
        }
        this.readers = new ArrayBlockingQueue<>(READERS);
        for (int i = 0; i < READERS; i++) {
            Connection c = connect(file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only=ON");
            }
            readers.add(c);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeLoop, "sqlite-writer");
        this.writer.setDaemon(true);
        this.writer.start();
        Connection cp = connect(file);
        this.checkpointer = new Thread(() -> checkpointLoop(cp), "sqlite-checkpointer");
        this.checkpointer.setDaemon(true);
        this.checkpointer.start();
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
            if (isFull(e)) {
                throw new StorageException("Cannot open the database " + file + ": the disk is full. Free space on " + file.getParent() + ".", e);
            }
            throw new StorageException("Cannot open the database " + file + ": " + e.getMessage()
                    + ". Check that the disk has space and the data directory is writable.", e);
        }
    }

    public static Database open(Path file) { return open(file, 8192, 1024); }

    public Path file() { return file; }

    /** The write-ahead log beside the database file. */
    public Path walFile() { return walFile; }

    public void setStats(WriterStats stats) { this.stats = stats == null ? WriterStats.NONE : stats; }

    public int queueDepth() { return queue.size(); }

    public int maxBatch() { return maxBatch; }

    /**
     * How long the oldest queued write may have waited before {@link #submit} refuses new ones
     * (503): under overload the gateway sheds load early instead of letting every answer grow late.
     */
    public void setMaxQueueDelay(java.time.Duration d) { this.maxQueueDelayNanos = d.toNanos(); }

    /** Tests: stands for a background checkpointer that cannot keep up at all (a very slow disk). */
    void pauseBackgroundCheckpoints(boolean paused) { this.backgroundCheckpointsPaused = paused; }

    /** Lets the writer wait up to {@code linger} for a batch of {@code batch} writes before committing (0 = never wait). */
    public void setLinger(java.time.Duration linger, int batch) {
        this.lingerBatch = Math.max(1, batch);
        this.lingerNanos = linger.toNanos();
    }

    private static Connection connect(Path file) throws SQLException {
        boolean fresh = isEmptyFile(file);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            // A new database gives pages freed by pruning back to the disk (PRAGMA incremental_vacuum,
            // run in steps by retention). This is only possible before anything is written to it, WAL
            // mode included: a database made before keeps auto_vacuum=NONE, and its freed pages are
            // reused by new rows instead, so the file stops growing but does not shrink.
            if (fresh) s.execute("PRAGMA auto_vacuum=INCREMENTAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            // statement journals and sorts stay in memory: no temp files holding event or secret bytes
            s.execute("PRAGMA temp_store=MEMORY");
        }
        return c;
    }

    private static boolean isEmptyFile(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void migrate(Connection c, BeforeMigrations beforeMigrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
                java.util.Set<Integer> applied = new java.util.HashSet<>();
                int current = 0;
                try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                    while (rs.next()) {
                        applied.add(rs.getInt(1));
                        current = Math.max(current, rs.getInt(1));
                    }
                }
                List<Integer> present = presentScripts();
                int newest = present.isEmpty() ? 0 : present.get(present.size() - 1);
                if (current > newest) {
                    throw new StorageException("The database was written by a newer version of AIROTECH Connect (schema "
                            + current + "). Install that version or newer.");
                }
                if (beforeMigrations != null && !applied.isEmpty() && !applied.containsAll(present)) {
                    beforeMigrations.run(current, present.stream().filter(v -> !applied.contains(v)).toList());
                }
                // every script this build carries and the database lacks, in order (features add
                // numbered scripts independently, so a lower number may arrive after a higher one)
                for (int v : present) {
                    if (applied.contains(v)) continue;
                    for (String sql : script(v)) s.execute(sql);
                    s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                    log.info("database migrated to schema {}", v);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /**
     * The migration scripts this build carries ({@code /db/V<n>.sql} on the class path), in order. They
     * are discovered by listing the folder, in the jar or on disk, so a feature adds its schema by
     * adding a script and nothing else.
     */
    /** The newest schema this build can migrate to (a backup of a newer one cannot be restored by it). */
    public static int newestSchema() {
        List<Integer> present = presentScripts();
        return present.isEmpty() ? 0 : present.get(present.size() - 1);
    }

    static List<Integer> presentScripts() {
        java.net.URL anchor = Database.class.getResource("/db/V1.sql");
        if (anchor == null) throw new IllegalStateException("the migration scripts (/db/V1.sql …) are missing from the class path");
        java.util.TreeSet<Integer> found = new java.util.TreeSet<>();
        try {
            java.net.URI uri = anchor.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (java.nio.file.FileSystem jar = jarFileSystem(uri)) {
                    collect(jar.getPath("/db"), found);
                }
            } else {
                collect(Path.of(uri).getParent(), found);
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the migration scripts: " + e.getMessage(), e);
        }
        return new ArrayList<>(found);
    }

    /** The jar holding the scripts, opened privately (never registered, so it cannot clash with another opener). */
    private static java.nio.file.FileSystem jarFileSystem(java.net.URI entry) throws IOException {
        String spec = entry.getRawSchemeSpecificPart();
        Path jar = Path.of(java.net.URI.create(spec.substring(0, spec.indexOf("!/"))));
        return java.nio.file.FileSystems.newFileSystem(jar, (ClassLoader) null);
    }

    private static void collect(Path dir, java.util.Set<Integer> found) throws IOException {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("V([1-9][0-9]{0,5})\\.sql");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                java.util.regex.Matcher m = name.matcher(f.getFileName().toString());
                if (m.matches()) found.add(Integer.parseInt(m.group(1)));
            });
        }
    }

    static List<String> script(int version) {
        String name = "/db/V" + version + ".sql";
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing migration " + name);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            // statements end with ";" at the end of a line; triggers use "END;" which also ends a line
            StringBuilder cur = new StringBuilder();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.startsWith("--") || t.isEmpty()) continue;
                cur.append(line).append('\n');
                boolean inTrigger = cur.toString().toUpperCase().contains("CREATE TRIGGER");
                if (t.endsWith(";") && (!inTrigger || t.toUpperCase().endsWith("END;"))) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- reads

    public <T> T read(SqlFunction<Connection, T> fn) {
        Connection c;
        try {
            c = readers.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while waiting for the database.");
        }
        if (c == null) throw ApiException.unavailable("The database is busy; retry shortly.");
        try {
            return fn.apply(c);
        } catch (SQLException e) {
            throw new StorageException("database read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    // ---------------------------------------------------------------- writes

    private static final class Op<T> {
        final SqlFunction<WriteContext, T> fn;
        final boolean pure;
        final CompletableFuture<T> future = new CompletableFuture<>();
        final long queuedAt = System.nanoTime();
        T result;
        Throwable failure;

        Op(SqlFunction<WriteContext, T> fn, boolean pure) {
            this.fn = fn;
            this.pure = pure;
        }
    }

    /**
     * Queues a write. The future completes after the transaction holding it has committed, or
     * fails with the operation's own exception. A full queue is {@code 503 unavailable}.
     */
    public <T> CompletableFuture<T> submit(SqlFunction<WriteContext, T> fn) {
        return enqueue(new Op<>(fn, false));
    }

    /**
     * Queues a write that only touches the database (no effect outside it), so the writer may run
     * it again: consecutive pure writes share one savepoint instead of one each, and only when one
     * of them fails is that run of writes rolled back and replayed one savepoint at a time. The
     * ingest hot path uses it; the outcome for every caller is the same as with {@link #submit}.
     */
    public <T> CompletableFuture<T> submitPure(SqlFunction<WriteContext, T> fn) {
        return enqueue(new Op<>(fn, true));
    }

    private <T> CompletableFuture<T> enqueue(Op<T> op) {
        if (closing) throw refused(SHUTTING_DOWN, ApiException.unavailable("The gateway is shutting down; retry shortly."));
        Op<?> head = queue.peek();
        if (head != null && System.nanoTime() - head.queuedAt > maxQueueDelayNanos) {
            throw atCapacity();
        }
        if (!queue.offer(op)) {
            throw atCapacity();
        }
        return op.future;
    }

    /** Why writes were answered 503, as {@code /metrics} labels them. */
    public static final String DISK_FULL = "disk_full";
    public static final String AT_CAPACITY = "at_capacity";
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String STORAGE_ERROR = "storage_error";

    /** When a write was last refused because the writer could not keep up (0: never). */
    private volatile long lastAtCapacityNanos;

    private ApiException atCapacity() {
        lastAtCapacityNanos = System.nanoTime();
        return refused(AT_CAPACITY, ApiException.unavailable("The gateway is at capacity; nothing was stored. Retry after a second."));
    }

    private ApiException refused(String reason, ApiException answer) {
        stats.refused(reason, 1);
        return answer;
    }

    /** True while writes are refused because the disk (or the database's page limit) is full: SQLITE_FULL. */
    public boolean diskFull() { return lastFullNanos != 0; }

    /** True when a write was refused in the last ten seconds because the writer's queue was full or too slow. */
    public boolean atCapacityRecently() {
        long at = lastAtCapacityNanos;
        return at != 0 && System.nanoTime() - at < TimeUnit.SECONDS.toNanos(10);
    }

    /** A write that the caller waits for (administration, not the ingest hot path). */
    public <T> T write(SqlFunction<WriteContext, T> fn) {
        if (closing) throw refused(SHUTTING_DOWN, ApiException.unavailable("The gateway is shutting down; retry shortly."));
        Op<T> op = new Op<>(fn, false);
        try {
            if (!queue.offer(op, 10, TimeUnit.SECONDS)) {
                lastAtCapacityNanos = System.nanoTime();
                throw refused(AT_CAPACITY, ApiException.unavailable("The database is busy; nothing was stored. Retry shortly."));
            }
            return op.future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while writing.");
        } catch (TimeoutException e) {
            throw ApiException.unavailable("The database did not answer in time; retry shortly.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new StorageException("database write failed: " + cause.getMessage(), cause);
        }
    }

    private void writeLoop() {
        WriteContext ctx = new WriteContext(writeConnection);
        List<Op<?>> batch = new ArrayList<>(maxBatch);
        try {
            while (true) {
                Op<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) break;
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                linger(batch);
                runBatch(ctx, batch);
                batch.clear();
                tailCheckpoint(ctx);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ctx.close();
            List<Op<?>> late = new ArrayList<>();
            queue.drainTo(late);
            ApiException gone = ApiException.unavailable("The gateway is shutting down; nothing was stored. Retry shortly.");
            if (!late.isEmpty()) stats.refused(SHUTTING_DOWN, late.size());
            for (Op<?> op : late) op.future.completeExceptionally(gone);
        }
    }

    /**
     * With a linger set, a small batch waits up to the linger (or until it reaches lingerBatch) for
     * more writes before it commits. Off by default: measured on the gateway (bench/README.md), larger
     * batches cost more CPU per request than they save, because idle I/O threads wake once per request.
     */
    private void linger(List<Op<?>> batch) throws InterruptedException {
        if (lingerNanos <= 0 || batch.size() >= lingerBatch) return;
        long deadline = batch.get(0).queuedAt + lingerNanos;
        while (batch.size() < lingerBatch && batch.size() < maxBatch) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) return;
            Op<?> next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) return;
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void runBatch(WriteContext ctx, List<Op<?>> batch) {
        long start = System.nanoTime();
        try {
            ctx.clearDeferred();
            ctx.prepare("BEGIN IMMEDIATE").execute();
            try {
                int i = 0;
                while (i < batch.size()) {
                    int end = i + 1;
                    if (batch.get(i).pure) {
                        while (end < batch.size() && batch.get(end).pure) end++;
                    }
                    if (end - i == 1) runInSavepoint(ctx, batch.get(i));
                    else runSegment(ctx, batch.subList(i, end));
                    i = end;
                }
                // the summaries the batch's writes deferred, in the same transaction: failing here fails the batch like its commit
                ctx.applyDeferred();
                ctx.prepare("COMMIT").execute();
            } catch (SQLException | RuntimeException e) {
                ctx.clearDeferred();
                safeRollback(ctx);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException) ctx.reset(); // the statement that failed (BEGIN, COMMIT) is spoiled
            if (isFull(e)) {
                storageFull(batch.size());
                for (Op<?> op : batch) op.future.completeExceptionally(fullAnswer());
                return;
            }
            commitFailed(e, batch.size());
            stats.refused(STORAGE_ERROR, batch.size());
            ApiException unavailable = ApiException.unavailable("The gateway could not store the request (storage error); nothing was stored. Retry shortly.");
            for (Op<?> op : batch) op.future.completeExceptionally(unavailable);
            return;
        }
        stats.batchCommitted(batch.size(), System.nanoTime() - start);
        int full = 0;
        for (Op<?> op : batch) {
            if (op.failure != null && isFull(op.failure)) {
                full++;
                op.future.completeExceptionally(fullAnswer());
            } else {
                complete(op);
            }
        }
        if (full > 0) storageFull(full);
        // a small write may still fit into a full database: room again is five seconds of writes without a refusal
        else if (lastFullNanos != 0 && System.nanoTime() - lastFullNanos >= TimeUnit.SECONDS.toNanos(5)) storageHasRoom();
    }

    // ------------------------------------------------------------------ a full disk, a failing store

    /** When storage last refused a write for want of space (0: it has room); written by the writer only. */
    private volatile long lastFullNanos;
    private final ReportThrottle fullReports = new ReportThrottle(java.time.Duration.ofMinutes(1));
    private final ReportThrottle commitFailures = new ReportThrottle(java.time.Duration.ofMinutes(1));
    private final ReportThrottle checkpointFailures = new ReportThrottle(java.time.Duration.ofMinutes(1));

    /** SQLite's SQLITE_FULL: the disk (or the database's page limit) is full. */
    private static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException se && se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_FULL) return true;
        }
        return false;
    }

    private static ApiException fullAnswer() {
        return ApiException.unavailable("The gateway's storage is full; nothing was stored. Retry later.", 30);
    }

    /** Tells the operator that writes are refused for want of space (at once, then once a minute with a count). */
    private void storageFull(int refused) {
        lastFullNanos = System.nanoTime();
        stats.refused(DISK_FULL, refused);
        long report = fullReports.occurred(refused);
        if (report > 0) {
            log.error("Storage is full (database or disk is full): writes are refused with 503 until there is free space on {} "
                    + "({} refused since the last report). Free space there (old logs, other files) or move the data directory.",
                    file.getParent(), report);
        }
    }

    private void storageHasRoom() {
        lastFullNanos = 0;
        log.warn("Storage has room again: writes have been stored for 5 s ({} more were refused since the last report).", fullReports.clear());
    }

    /** A failed commit (at once, then once a minute with how many writes failed meanwhile). */
    private void commitFailed(Exception e, int refused) {
        long report = commitFailures.occurred(refused);
        if (report > 0) log.error("database commit failed; {} writes answered 503 since the last report: {}", report, e.getMessage());
    }

    private static <T> void runInSavepoint(WriteContext ctx, Op<T> op) throws SQLException {
        ctx.prepare("SAVEPOINT op").execute();
        int mark = ctx.mark();
        op.result = null;
        op.failure = null;
        try {
            op.result = op.fn.apply(ctx);
            ctx.prepare("RELEASE op").execute();
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException) ctx.reset();
            ctx.prepare("ROLLBACK TO op").execute();
            ctx.prepare("RELEASE op").execute();
            ctx.rollbackTo(mark);
            op.failure = e;
        }
    }

    /**
     * Runs consecutive pure writes under one savepoint. If any of them fails, the whole run is
     * rolled back and replayed with a savepoint each, so the failure stays the failing write's own.
     */
    private static void runSegment(WriteContext ctx, List<Op<?>> ops) throws SQLException {
        ctx.prepare("SAVEPOINT seg").execute();
        int mark = ctx.mark();
        boolean ok = true;
        for (Op<?> op : ops) {
            try {
                applyPure(ctx, op);
            } catch (SQLException | RuntimeException e) {
                if (e instanceof SQLException) ctx.reset();
                ok = false;
                break;
            }
        }
        if (ok) {
            ctx.prepare("RELEASE seg").execute();
            return;
        }
        ctx.prepare("ROLLBACK TO seg").execute();
        ctx.prepare("RELEASE seg").execute();
        ctx.rollbackTo(mark);
        for (Op<?> op : ops) runInSavepoint(ctx, op);
    }

    private static <T> void applyPure(WriteContext ctx, Op<T> op) throws SQLException {
        op.result = op.fn.apply(ctx);
    }

    private static <T> void complete(Op<T> op) {
        if (op.failure == null) {
            op.future.complete(op.result);
        } else if (op.failure instanceof RuntimeException re && !(re instanceof CompletionException)) {
            op.future.completeExceptionally(re);
        } else {
            op.future.completeExceptionally(new StorageException("database write failed: " + op.failure.getMessage(), op.failure));
        }
    }

    /**
     * Copies the WAL back into the database without blocking the writer (PASSIVE checkpoints).
     * Under sustained writes a passive checkpoint never finishes the WAL, because frames keep
     * arriving while it copies, and SQLite only starts the WAL over once every frame is back: the
     * file would grow without end. So this thread catches up to within {@link #TAIL_FRAMES} of the
     * end, then asks the writer to copy that short tail itself between two commits; the next
     * commit then starts the WAL from the beginning again.
     */
    private void checkpointLoop(Connection c) {
        try (Statement s = c.createStatement()) {
            long lastDone = -1;
            while (!closing) {
                if (backgroundCheckpointsPaused) {
                    synchronized (checkpointer) { checkpointer.wait(20); }
                    continue;
                }
                long log;
                long done;
                checkpointLock.lock();
                try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    rs.next();
                    log = rs.getLong(2);
                    done = rs.getLong(3);
                } catch (SQLException e) {
                    // a full disk or an I/O error: try again in a second (the writer's ceiling bounds the WAL meanwhile)
                    if (checkpointFailures.occurred(1) > 0) {
                        Database.log.warn("A WAL checkpoint failed ({}); retrying every second. Until one succeeds the WAL file grows, up to {} MiB.",
                                e.getMessage(), CEILING_BYTES >> 20);
                    }
                    synchronized (checkpointer) { checkpointer.wait(1000); }
                    continue;
                } finally {
                    checkpointLock.unlock();
                }
                checkpointFailures.clear();
                long behind = log - done;
                boolean stuck = done == lastDone && behind > 0;
                backgroundProgressing = !stuck;
                if (stuck) pinSeenNanos = System.nanoTime();
                lastDone = done;
                if (log >= RESTART_FRAMES) {
                    // time to start over: catch up (each round copies what the writer added during the last),
                    // unless a reader's snapshot (a backup's long VACUUM INTO) keeps the rest from being
                    // copied: then retrying at once would only spin and hold the lock the writer may need
                    if (behind > TAIL_FRAMES && !stuck) continue;
                    if (!stuck) tailCheckpointWanted = true;
                }
                // copying rarely copies each page once for many commits that rewrote it
                synchronized (checkpointer) { checkpointer.wait(log >= RESTART_FRAMES ? 20 : 250); }
            }
        } catch (SQLException e) {
            log.warn("Background WAL checkpoints stopped ({}); the writer now copies the WAL back itself whenever it passes {} MiB, which slows writes.", e.getMessage(), CEILING_BYTES >> 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * On the writer, between commits: copies the last frames so the next commit restarts the WAL,
     * when the background thread asks for it or when the WAL has passed its ceiling (then this
     * waits for a running background round: that wait is the back-pressure of a slow disk).
     */
    private void tailCheckpoint(WriteContext ctx) {
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

    /** The writer's own: frames its last over-ceiling checkpoint had copied, and until when a pinned WAL is left alone. */
    private long writerLastDone = -1;
    private long pinnedUntilNanos = System.nanoTime();
    /** When a reader's snapshot was last seen to pin the WAL, and whether the background's last round copied anything. */
    private volatile long pinSeenNanos = System.nanoTime() - RECOVERY_NANOS;
    private volatile boolean backgroundProgressing = true;
    /** How long after a pin the writer leaves the catching up to the background thread. */
    private static final long RECOVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

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

    private static void safeRollback(WriteContext ctx) {
        try { ctx.prepare("ROLLBACK").execute(); } catch (SQLException ignored) { /* the transaction is gone already */ }
    }

    /** Stops taking writes, commits everything queued, then closes every connection. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (checkpointer) { checkpointer.notifyAll(); }
        try {
            checkpointer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : readers) closeQuietly(c);
        closeQuietly(writeConnection);
    }

    private static void closeQuietly(Connection c) {
        try { c.close(); } catch (SQLException ignored) { /* closing anyway */ }
    }
}
