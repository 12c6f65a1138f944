package com.airotech.connect.retention;

import com.airotech.connect.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * How the storage is doing: what the data directory, database and WAL take, what the disk has left,
 * and which of three troubles applies, told apart because each wants its own answer from the
 * operator: the disk is <b>full</b> (SQLite refuses writes: SQLITE_FULL, senders get 503), the
 * gateway is <b>at capacity</b> (the writer's queue is full: more load than the disk can commit), or
 * the disk is <b>below the floor</b> (pruning removes the oldest events, held or not, until it is
 * above again). Cheap at any size: a few {@code stat} calls and two database header reads, cached
 * for a second so scrapes and status calls never pile up.
 */
public final class StorageHealth {
    /**
     * One reading. {@code reusableBytes}: room inside the database file, its free pages (new rows take
     * them before the file grows) and what the file holds beyond its pages in use (given back to the
     * disk by the next checkpoint, after pruning shrank the database).
     */
    public record Snapshot(long dataDirBytes, long databaseBytes, long walBytes, long reusableBytes, long freeBytes, long totalBytes,
                           int minFreeDiskPercent, boolean diskFull, boolean atCapacity, Instant at) {
        public double freePercent() { return totalBytes <= 0 ? 100.0 : 100.0 * freeBytes / totalBytes; }

        /** Free space counting the database's reusable pages: what pruning measures against the floor. */
        public double effectiveFreePercent() { return totalBytes <= 0 ? 100.0 : 100.0 * (freeBytes + reusableBytes) / totalBytes; }

        public boolean belowFloor() { return minFreeDiskPercent > 0 && effectiveFreePercent() < minFreeDiskPercent; }

        /** The most pressing state: disk_full, below_disk_floor, at_capacity or ok. */
        public String state() {
            if (diskFull) return "disk_full";
            if (belowFloor()) return "below_disk_floor";
            if (atCapacity) return "at_capacity";
            return "ok";
        }
    }

    private final Database db;
    private final Path dataDir;
    private volatile DiskSpace disk;
    private final Clock clock;
    private volatile Snapshot cached;

    public StorageHealth(Database db, Path dataDir, DiskSpace disk, Clock clock) {
        this.db = db;
        this.dataDir = dataDir;
        this.disk = disk;
        this.clock = clock;
    }

    public Path dataDir() { return dataDir; }

    /** Measures the disk with {@code d} from now on: a simulated small disk in tests of the floor. */
    public void useDiskSpace(DiskSpace d) {
        this.disk = java.util.Objects.requireNonNull(d);
        this.cached = null;
    }

    /** Sizes at most a second old (scrapes read several at once); the writer's troubles as they are now. */
    public Snapshot snapshot() {
        Snapshot s = cached;
        if (s == null || Duration.between(s.at(), clock.instant()).abs().compareTo(Duration.ofSeconds(1)) >= 0) return measure();
        return new Snapshot(s.dataDirBytes(), s.databaseBytes(), s.walBytes(), s.reusableBytes(), s.freeBytes(), s.totalBytes(),
                s.minFreeDiskPercent(), db.diskFull(), db.atCapacityRecently(), s.at());
    }

    /** A fresh reading (pruning decides on these). */
    public Snapshot measure() {
        long[] pages = db.read(c -> new long[] {pragma(c, "freelist_count"), pragma(c, "page_size"), pragma(c, "page_count")});
        int floor = db.read(c -> RetentionService.site(c).minFreeDiskPercent());
        DiskSpace.Usage u;
        try {
            u = disk.usage(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dataDir, e);
        }
        long fileBytes = size(db.file());
        long reusable = pages[0] * pages[1] + Math.max(0, fileBytes - pages[2] * pages[1]);
        Snapshot s = new Snapshot(directoryBytes(dataDir), fileBytes, size(db.walFile()), reusable, u.usableBytes(), u.totalBytes(),
                floor, db.diskFull(), db.atCapacityRecently(), clock.instant());
        cached = s;
        return s;
    }

    private static long pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("PRAGMA " + name); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Everything under the data directory (a handful of files: the database, its WAL, keys, settings). */
    static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (NoSuchFileException gone) {
                    return 0; // a temporary file that went while we counted
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
