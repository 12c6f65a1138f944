package com.airotech.connect.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's own structural checks. On every open, {@code PRAGMA quick_check} (every page, b-tree and
 * record format; not the index contents) within a time budget, so that a torn copy of a running
 * data directory ({@code cp -a} while the gateway writes) or a failing disk is refused before anything
 * writes to it. The command line beside a running gateway leaves it to that gateway, which checked
 * the database when it started (1.8 s for 1 GiB measured; seconds for every command otherwise). On a very large database the budget can run out: the part checked passed, and the
 * log says the check was cut short (a backup checks a whole copy).
 */
public final class IntegrityCheck {
    private static final Logger log = LoggerFactory.getLogger(IntegrityCheck.class);
    /** The time an open may spend checking; {@code -Dairotech.startupCheckSeconds=0} skips the check. */
    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("airotech.startupCheckSeconds", 10));

    private IntegrityCheck() {}

    /** Checks the database on {@code c} (a fresh connection, before migrations); refuses a damaged one. */
    static void onOpen(Connection c, Path file) throws SQLException {
        long bytes = size(file);
        if (bytes == 0) return; // a new database: nothing to check yet
        if (BUDGET.isZero() || BUDGET.isNegative()) {
            log.warn("The start-up check of {} is turned off (airotech.startupCheckSeconds=0): a damaged database is not noticed until it is read.", file);
            return;
        }
        if (DataDirectory.runningGateway(file.toAbsolutePath().getParent()).filter(g -> g.pid() != ProcessHandle.current().pid()).isPresent()) {
            // the command line beside a running gateway: that gateway checked the database when it
            // started, and a check here would cost every command seconds on a large site
            log.debug("start-up check of {} left to the gateway serving it", file);
            return;
        }
        long start = System.nanoTime();
        Result r = run(c, "quick_check", BUDGET);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r.cutShort()) {
            log.warn("The start-up check (PRAGMA quick_check) of {} ({} MiB) was cut short after {} s for its size; the part checked is sound. "
                    + "A backup (airotech-connect backup --to FILE) checks a whole copy.", file, bytes >> 20, BUDGET.toSeconds());
            return;
        }
        if (!r.ok()) throw damaged(file, String.join("; ", r.problems()), null);
        log.info("database {} checked in {} ms (quick_check: ok)", file, ms);
    }

    /** The outcome of a check: ok, or the first problems SQLite names; cut short when the budget ran out. */
    public record Result(boolean ok, boolean cutShort, List<String> problems) {}

    /**
     * Runs {@code PRAGMA quick_check} or {@code integrity_check} on {@code c}, interrupted once
     * {@code budget} has passed (null: no limit). A database too damaged to be read at all is a
     * failed check, not an error.
     */
    public static Result run(Connection c, String pragma, Duration budget) throws SQLException {
        if (!pragma.equals("quick_check") && !pragma.equals("integrity_check")) throw new IllegalArgumentException(pragma);
        long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
        boolean[] interrupted = {false};
        if (budget != null) {
            org.sqlite.ProgressHandler.setHandler(c, 10_000, new org.sqlite.ProgressHandler() {
                @Override
                protected int progress() {
                    if (System.nanoTime() - deadline > 0) {
                        interrupted[0] = true;
                        return 1;
                    }
                    return 0;
                }
            });
        }
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma + "(20)")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) problems.add(line);
            }
        } catch (SQLException e) {
            if (interrupted[0]) return new Result(false, true, List.of());
            if (e instanceof org.sqlite.SQLiteException se && (se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT
                    || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_NOTADB)) {
                return new Result(false, false, List.of(se.getMessage()));
            }
            throw e;
        } finally {
            if (budget != null) org.sqlite.ProgressHandler.clearHandler(c);
        }
        return new Result(problems.isEmpty(), false, List.copyOf(problems));
    }

    /** The refusal of a damaged database, with what to do. */
    static StorageException damaged(Path file, String detail, Throwable cause) {
        String shown = detail == null ? "" : detail.length() > 300 ? detail.substring(0, 300) + "…" : detail;
        return new StorageException("The database " + file + " is damaged (" + shown + "); nothing was written to it. It may be a copy taken"
                + " while a gateway was writing (cp of a running data directory), or the disk may be failing. Restore the site from a backup"
                + " into a new directory: airotech-connect restore --from FILE --data-dir NEW_DIR (a backup holds master.key and every key"
                + " with the database); or move this data directory aside to start the site empty.", cause);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
