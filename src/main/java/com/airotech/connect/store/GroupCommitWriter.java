package com.airotech.connect.store;

import com.airotech.connect.common.ApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one writer thread: it owns the write connection and commits queued operations together (group
 * commit). Each operation runs in its own savepoint, so one failing operation does not undo its
 * neighbours, and every caller is answered only after the shared commit has reached the disk
 * (synchronous=FULL). Refusals (full disk, at capacity, shutting down) are {@link WriteRefusals}'.
 */
final class GroupCommitWriter implements AutoCloseable {
    private final Connection connection;
    private final BlockingQueue<Op<?>> queue;
    private final int maxBatch;
    private final WriteRefusals refusals;
    private final Checkpointer checkpointer;
    private final Thread thread;
    private volatile boolean closing;
    private volatile long maxQueueDelayNanos = TimeUnit.MILLISECONDS.toNanos(50);
    private volatile long lingerNanos;
    private volatile int lingerBatch;

    /** Starts the writer thread on {@code connection}; between commits it lets {@code checkpointer} copy the WAL's tail. */
    GroupCommitWriter(Connection connection, int queueCapacity, int maxBatch, WriteRefusals refusals, Checkpointer checkpointer) {
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.refusals = refusals;
        this.checkpointer = checkpointer;
        this.thread = new Thread(this::loop, "sqlite-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

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

    int queueDepth() { return queue.size(); }

    int maxBatch() { return maxBatch; }

    void setMaxQueueDelay(java.time.Duration d) { this.maxQueueDelayNanos = d.toNanos(); }

    void setLinger(java.time.Duration linger, int batch) {
        this.lingerBatch = Math.max(1, batch);
        this.lingerNanos = linger.toNanos();
    }

    <T> CompletableFuture<T> submit(SqlFunction<WriteContext, T> fn, boolean pure) {
        Op<T> op = new Op<>(fn, pure);
        if (closing) throw refusals.shuttingDown();
        Op<?> head = queue.peek();
        if (head != null && System.nanoTime() - head.queuedAt > maxQueueDelayNanos) {
            throw refusals.atCapacity();
        }
        if (!queue.offer(op)) {
            throw refusals.atCapacity();
        }
        return op.future;
    }

    <T> T write(SqlFunction<WriteContext, T> fn) {
        if (closing) throw refusals.shuttingDown();
        Op<T> op = new Op<>(fn, false);
        try {
            if (!queue.offer(op, 10, TimeUnit.SECONDS)) throw refusals.busy();
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

    private void loop() {
        WriteContext ctx = new WriteContext(connection);
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
                checkpointer.betweenCommits(ctx);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ctx.close();
            List<Op<?>> late = new ArrayList<>();
            queue.drainTo(late);
            ApiException gone = refusals.stoppedWith(late.size());
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
            commit(ctx, batch);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException) ctx.reset(); // the statement that failed (BEGIN, COMMIT) is spoiled
            if (Sqlite.isFull(e)) {
                refusals.storageFull(batch.size());
                for (Op<?> op : batch) op.future.completeExceptionally(WriteRefusals.fullAnswer());
                return;
            }
            ApiException unavailable = refusals.commitFailed(e, batch.size());
            for (Op<?> op : batch) op.future.completeExceptionally(unavailable);
            return;
        }
        refusals.stats().batchCommitted(batch.size(), System.nanoTime() - start);
        int full = 0;
        for (Op<?> op : batch) {
            if (op.failure != null && Sqlite.isFull(op.failure)) {
                full++;
                op.future.completeExceptionally(WriteRefusals.fullAnswer());
            } else {
                complete(op);
            }
        }
        if (full > 0) refusals.storageFull(full);
        else refusals.committed();
    }

    /** One transaction for the batch: each write in its savepoint (runs of pure writes share one), then one commit. */
    private static void commit(WriteContext ctx, List<Op<?>> batch) throws SQLException {
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

    private static void safeRollback(WriteContext ctx) {
        try { ctx.prepare("ROLLBACK").execute(); } catch (SQLException ignored) { /* the transaction is gone already */ }
    }

    /** Stops taking writes and commits everything queued (waiting up to 30 s). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
