package com.airotech.connect.cli;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.backup.BackupManifest;
import com.airotech.connect.backup.BackupSchedule;
import com.airotech.connect.backup.SiteBackup;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.store.DataDirectory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backup} and {@code restore} (API.md §8), and the options of the backups {@code serve} takes on a schedule. */
public final class BackupCommands {
    private BackupCommands() {}

    static ObjectNode manifestJson(BackupManifest m) {
        ObjectNode o = Json.object().put("schema", m.schema()).put("product_version", m.productVersion()).put("created_at", Times.format(m.createdAt()));
        ArrayNode parts = o.putArray("parts");
        for (BackupManifest.Part p : m.parts()) parts.addObject().put("name", p.name()).put("size", p.size()).put("sha256", p.sha256());
        return o;
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent backup of the whole site (database, master key ring, CA, token signing keys, settings) to one"
                    + " file (0600), safe while the gateway runs.")
    public static final class BackupCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file to write (must not exist yet), e.g. /mnt/backup/site-2026-12-04.zip.") Path to;

        @Override
        public Integer call() {
            Config cfg = common.existingConfig();
            DataDirectory dir = DataDirectory.open(cfg.dataDir());
            SiteBackup.Written w = new SiteBackup(Clock.systemUTC()).create(dir, to, SiteBackup.Progress.NONE);
            ObjectNode out = Json.object().put("backup", w.file().toString()).put("bytes", w.bytes()).put("data_dir", dir.root().toString())
                    .put("seconds", w.took().toMillis() / 1000.0);
            out.set("manifest", manifestJson(w.manifest()));
            Output.print(out);
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore a backup into a new, empty data directory (--data-dir DIR, required), after checking its manifest, checksums,"
                    + " the database's integrity and the keys.")
    public static final class RestoreCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file.") Path from;

        @Override
        public Integer call() {
            if (common.dataDir == null) {
                throw new IllegalArgumentException("restore needs --data-dir NEW_DIR: a new, empty directory for the restored site"
                        + " (it never writes over a site). Then start the gateway on it with serve --data-dir NEW_DIR.");
            }
            SiteBackup.Restored r = new SiteBackup(Clock.systemUTC()).restore(from, common.dataDir, SiteBackup.Progress.NONE);
            ObjectNode out = Json.object().put("restored", r.dataDir().toString()).put("seconds", r.took().toMillis() / 1000.0);
            out.set("manifest", manifestJson(r.manifest()));
            out.put("next", "airotech-connect serve --data-dir " + r.dataDir());
            Output.print(out);
            System.err.println("Restored into " + r.dataDir() + ". Start the gateway on it: airotech-connect serve --data-dir " + r.dataDir()
                    + " (for the service: stop it, point it at this directory or move the directory into place, owned by the service's user).");
            return 0;
        }
    }

    /** {@code serve --backup-dir DIR --backup-every 24h --backup-keep 7}: backups taken by the gateway itself. */
    static final class ScheduleOptions {
        @Option(names = "--backup-dir", paramLabel = "DIR", description = "Take backups into this folder (on another disk), on a schedule.") Path dir;
        @Option(names = "--backup-every", paramLabel = "PERIOD", defaultValue = "24h", description = "How often: 30m, 6h, 24h, 7d (default ${DEFAULT-VALUE}).") String every;
        @Option(names = "--backup-keep", paramLabel = "N", defaultValue = "7", description = "How many backups to keep; older ones are removed (default ${DEFAULT-VALUE}).") int keep;

        /** The schedule for this gateway, started; null without --backup-dir. */
        BackupSchedule start(Platform p) {
            if (dir == null) return null;
            Duration period = BackupSchedule.parsePeriod(every);
            BackupSchedule s = new BackupSchedule(new SiteBackup(p.config().clock()), p.dataDirectory(), dir, period, keep, p.config().clock());
            s.start();
            return s;
        }
    }
}
