package com.airotech.connect.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Opening a connection the way every part of the store needs it, and reading SQLite's failures. */
final class Sqlite {
    private Sqlite() {}

    /** A connection in WAL mode, synchronous=FULL (every commit on the disk before it is answered), foreign keys on. */
    static Connection connect(Path file) throws SQLException {
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

    /** SQLite's SQLITE_FULL: the disk (or the database's page limit) is full. */
    static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException se && se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_FULL) return true;
        }
        return false;
    }

    static void closeQuietly(Connection c) {
        try { c.close(); } catch (SQLException ignored) { /* closing anyway */ }
    }
}
