package com.airotech.connect.store;

import com.airotech.connect.common.ApiException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A few read-only connections, lent one at a time: reads never wait for the writer (WAL). */
final class ReaderPool implements AutoCloseable {
    private final BlockingQueue<Connection> readers;

    ReaderPool(Path file, int size) throws SQLException {
        this.readers = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection c = Sqlite.connect(file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only=ON");
            }
            readers.add(c);
        }
    }

    <T> T read(SqlFunction<Connection, T> fn) {
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

    @Override
    public void close() {
        for (Connection c : readers) Sqlite.closeQuietly(c);
    }
}
