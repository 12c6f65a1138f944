package com.airotech.connect.store;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.ReportThrottle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the writer refuses writes (the disk is full, it is at capacity, it is shutting down, a commit
 * failed), as the caller hears it ({@link ApiException.Kind#UNAVAILABLE} with a retry time), as
 * {@code /metrics} counts it ({@link WriterStats#refused}) and as the operator reads it in the log: at
 * once, then once a minute with a count.
 */
final class WriteRefusals {
    /** The operator log keeps the name it always had. */
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final Path directory;
    private volatile WriterStats stats = WriterStats.NONE;
    /** When storage last refused a write for want of space (0: it has room); written by the writer only. */
    private volatile long lastFullNanos;
    /** When a write was last refused because the writer could not keep up (0: never). */
    private volatile long lastAtCapacityNanos;
    private final ReportThrottle fullReports = new ReportThrottle(Duration.ofMinutes(1));
    private final ReportThrottle commitFailures = new ReportThrottle(Duration.ofMinutes(1));

    WriteRefusals(Path directory) {
        this.directory = directory;
    }

    void setStats(WriterStats stats) { this.stats = stats == null ? WriterStats.NONE : stats; }

    WriterStats stats() { return stats; }

    /** True while writes are refused because the disk (or the database's page limit) is full: SQLITE_FULL. */
    boolean diskFull() { return lastFullNanos != 0; }

    /** True when a write was refused in the last ten seconds because the writer's queue was full or too slow. */
    boolean atCapacityRecently() {
        long at = lastAtCapacityNanos;
        return at != 0 && System.nanoTime() - at < TimeUnit.SECONDS.toNanos(10);
    }

    /** A write offered after close began. */
    ApiException shuttingDown() {
        return refused(Database.SHUTTING_DOWN, ApiException.unavailable("The gateway is shutting down; retry shortly."));
    }

    /** Writes still queued when the writer stopped. */
    ApiException stoppedWith(int late) {
        if (late > 0) stats.refused(Database.SHUTTING_DOWN, late);
        return ApiException.unavailable("The gateway is shutting down; nothing was stored. Retry shortly.");
    }

    /** The queue is full, or its oldest write has waited too long (the gateway sheds load early). */
    ApiException atCapacity() {
        lastAtCapacityNanos = System.nanoTime();
        return refused(Database.AT_CAPACITY, ApiException.unavailable("The gateway is at capacity; nothing was stored. Retry after a second."));
    }

    /** A waited-for write found no room in the queue within its time. */
    ApiException busy() {
        lastAtCapacityNanos = System.nanoTime();
        return refused(Database.AT_CAPACITY, ApiException.unavailable("The database is busy; nothing was stored. Retry shortly."));
    }

    /** A batch's commit failed for another reason than space: every write in it is answered with this. */
    ApiException commitFailed(Exception e, int refused) {
        long report = commitFailures.occurred(refused);
        if (report > 0) log.error("database commit failed; {} writes answered 503 since the last report: {}", report, e.getMessage());
        stats.refused(Database.STORAGE_ERROR, refused);
        return ApiException.unavailable("The gateway could not store the request (storage error); nothing was stored. Retry shortly.");
    }

    /** The answer to a write refused for want of space. */
    static ApiException fullAnswer() {
        return ApiException.unavailable("The gateway's storage is full; nothing was stored. Retry later.", 30);
    }

    /** Tells the operator that writes are refused for want of space (at once, then once a minute with a count). */
    void storageFull(int refused) {
        lastFullNanos = System.nanoTime();
        stats.refused(Database.DISK_FULL, refused);
        long report = fullReports.occurred(refused);
        if (report > 0) {
            log.error("Storage is full (database or disk is full): writes are refused with 503 until there is free space on {} "
                    + "({} refused since the last report). Free space there (old logs, other files) or move the data directory.",
                    directory, report);
        }
    }

    /** After a committed batch: a small write may still fit into a full database, so room again is five seconds of writes without a refusal. */
    void committed() {
        if (lastFullNanos != 0 && System.nanoTime() - lastFullNanos >= TimeUnit.SECONDS.toNanos(5)) {
            lastFullNanos = 0;
            log.warn("Storage has room again: writes have been stored for 5 s ({} more were refused since the last report).", fullReports.clear());
        }
    }

    private ApiException refused(String reason, ApiException answer) {
        stats.refused(reason, 1);
        return answer;
    }
}
