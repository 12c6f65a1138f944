package com.airotech.connect.backup;

import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups taken by the gateway itself: every {@code every} into {@code backupDir}, keeping the newest
 * {@code keep} ({@code serve --backup-dir DIR --backup-every 24h --backup-keep 7}); and, before an
 * upgrade migrates an existing database, one into the data directory's {@code backups/} folder.
 * Each result is logged: the file and its size, or why it failed and what to do.
 */
public final class BackupSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);
    /** Beside the site, for the automatic backup before an upgrade (never carried by a backup). */
    public static final String PRE_UPGRADE_DIR = "backups";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final Pattern NAME = Pattern.compile("airotech-backup-\\d{8}T\\d{6}Z(-\\d+)?\\.zip");
    /** A gateway that starts with no recent backup takes one this soon, not a whole period later. */
    private static final Duration FIRST_DELAY = Duration.ofMinutes(1);

    private final SiteBackup backup;
    private final DataDirectory dir;
    private final Path backupDir;
    private final Duration every;
    private final int keep;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    public BackupSchedule(SiteBackup backup, DataDirectory dir, Path backupDir, Duration every, int keep, Clock clock) {
        if (every.compareTo(Duration.ofMinutes(1)) < 0) throw new IllegalArgumentException("--backup-every must be at least 1m (e.g. 6h, 24h).");
        if (keep < 1 || keep > 10_000) throw new IllegalArgumentException("--backup-keep must be between 1 and 10000.");
        Path abs = backupDir.toAbsolutePath().normalize();
        if (abs.startsWith(dir.root())) {
            throw new IllegalArgumentException("--backup-dir " + abs + " is inside the data directory " + dir.root()
                    + ": a backup there is lost with the site's disk. Choose a folder on another disk or a mounted share.");
        }
        this.backup = backup;
        this.dir = dir;
        this.backupDir = abs;
        this.every = every;
        this.keep = keep;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduled-backup");
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses a period such as {@code 30m}, {@code 6h}, {@code 24h}, {@code 7d}. */
    public static Duration parsePeriod(String text) {
        var m = Pattern.compile("^(\\d{1,6})([mhd])$").matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new IllegalArgumentException("--backup-every takes a number and a unit, m, h or d (e.g. 24h), not '" + text + "'.");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A period as it was given: 30m, 6h, 7d. */
    static String human(Duration d) {
        if (d.toMinutes() % 60 == 0 && d.toHours() <= 48) return d.toHours() + "h";
        if (d.toMinutes() % (24 * 60) == 0) return d.toDays() + "d";
        if (d.toMinutes() % 60 == 0) return d.toHours() + "h";
        return d.toMinutes() + "m";
    }

    /** Starts the schedule: the first backup one period after the newest one in the folder (soon when it is older). */
    public void start() {
        try {
            Files.createDirectories(backupDir.getParent());
            if (!Files.exists(backupDir)) Files.createDirectory(backupDir, PosixFilePermissions.asFileAttribute(DataDirectory.DIR_MODE));
        } catch (IOException e) {
            throw new StorageException("Cannot create the backup folder " + backupDir + " (" + e.getClass().getSimpleName()
                    + "). Choose a writable --backup-dir.");
        }
        Instant newest = backups().stream().map(BackupSchedule::modified).max(Comparator.naturalOrder()).orElse(null);
        Duration first = newest == null ? FIRST_DELAY : Duration.between(clock.instant(), newest.plus(every));
        if (first.compareTo(FIRST_DELAY) < 0) first = FIRST_DELAY;
        timer.scheduleAtFixedRate(this::runOnce, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("scheduled backups: every {} into {}, keeping {}; the next in {} min", human(every), backupDir, keep, first.toMinutes());
    }

    /** Takes one backup now and removes the oldest beyond {@code keep}; logs the result. Returns the file, or null when it failed. */
    public Path runOnce() {
        try {
            Path target = backupDir.resolve(uniqueName());
            SiteBackup.Written w = backup.create(dir, target, SiteBackup.Progress.NONE);
            log.info("scheduled backup written: {} ({} MiB in {} s)", w.file(), w.bytes() >> 20, w.took().toMillis() / 1000.0);
            prune();
            return w.file();
        } catch (RuntimeException e) {
            log.error("The scheduled backup into {} failed: {} The next is tried in {}; the previous backups are kept.", backupDir, e.getMessage(), human(every));
            return null;
        }
    }

    private String uniqueName() {
        String base = "airotech-backup-" + STAMP.format(clock.instant());
        String name = base + ".zip";
        for (int i = 2; Files.exists(backupDir.resolve(name)); i++) name = base + "-" + i + ".zip";
        return name;
    }

    /** The backups this schedule made, oldest first. */
    List<Path> backups() {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(backupDir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(BackupSchedule::modified).thenComparing(p -> p.getFileName().toString()));
        return out;
    }

    private void prune() {
        List<Path> all = backups();
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
                log.info("old backup removed (keeping the newest {}): {}", keep, all.get(i));
            } catch (IOException e) {
                log.warn("Cannot remove the old backup {} ({}); remove it by hand.", all.get(i), e.getClass().getSimpleName());
            }
        }
    }

    private static Instant modified(Path p) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ before an upgrade

    /**
     * The backup an upgrade takes before it migrates an existing database: into
     * {@code DATA_DIR/backups/before-schema-N-TIME.zip}. A failure stops the upgrade: the database
     * is left as the previous release wrote it.
     */
    public static Database.BeforeMigrations beforeUpgrade(DataDirectory dir, Clock clock) {
        return (from, pending) -> {
            Path folder = dir.resolve(PRE_UPGRADE_DIR);
            try {
                if (!Files.exists(folder)) Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(DataDirectory.DIR_MODE));
            } catch (IOException e) {
                throw new StorageException("Cannot create " + folder + " for the backup taken before the upgrade (" + e.getClass().getSimpleName()
                        + "); the database was not changed. Check the data directory's permissions.");
            }
            int to = pending.get(pending.size() - 1);
            Path target = folder.resolve("before-schema-" + to + "-" + STAMP.format(clock.instant()) + ".zip");
            try {
                SiteBackup.Written w = new SiteBackup(clock).create(dir, target, SiteBackup.Progress.NONE);
                log.warn("Upgrading the database from schema {} to {}: a backup of the site as it was is in {} ({} MiB). Keep it until the"
                        + " new version has run well; restore it with the previous version if you go back.", from, to, w.file(), w.bytes() >> 20);
            } catch (RuntimeException e) {
                throw new StorageException("The backup taken before upgrading the database from schema " + from + " failed, so the database was"
                        + " not upgraded: " + e.getMessage(), e);
            }
        };
    }
}
