package com.airotech.connect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.testing.TempDirs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Summaries deferred to the end of a transaction ({@link WriteContext#defer}): applied once per batch,
 * in the batch's transaction; a write that fails takes its records with it; a summary that cannot be
 * applied fails the whole batch, and nothing of it is stored.
 */
class DeferredSummaryTest {
    /** Counts records per key in table {@code tally}, one statement per key and batch. */
    private static final WriteContext.Summary TALLY = (w, records) -> {
        Map<String, Integer> sums = new TreeMap<>();
        for (Object r : records) sums.merge((String) r, 1, Integer::sum);
        for (Map.Entry<String, Integer> e : sums.entrySet()) {
            PreparedStatement ps = w.prepare("INSERT INTO tally (k, n, applied) VALUES (?, ?, 1) ON CONFLICT (k) DO UPDATE SET n = n + excluded.n, applied = applied + 1");
            ps.setString(1, e.getKey());
            ps.setInt(2, e.getValue());
            ps.executeUpdate();
        }
    };

    private static Database open(Path file) {
        Database db = Database.open(file);
        db.write(w -> {
            try (Statement s = w.connection().createStatement()) {
                s.execute("CREATE TABLE tally (k TEXT PRIMARY KEY, n INTEGER NOT NULL, applied INTEGER NOT NULL)");
                s.execute("CREATE TABLE rows (k TEXT NOT NULL)");
            }
            return null;
        });
        return db;
    }

    private static Map<String, List<Long>> tally(Database db) {
        return db.read(c -> {
            Map<String, List<Long>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT k, n, applied FROM tally"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
            return out;
        });
    }

    /** A write that stores a row and defers its tally; {@code fail} makes it fail after both. */
    private static Object write(WriteContext w, String key, boolean fail) throws java.sql.SQLException {
        PreparedStatement ps = w.prepare("INSERT INTO rows (k) VALUES (?)");
        ps.setString(1, key);
        ps.executeUpdate();
        w.defer(TALLY, key);
        if (fail) throw new IllegalStateException("refused " + key);
        return key;
    }

    /** Queues the writes while the writer is busy with another, so that they commit as one batch after it. */
    private static List<CompletableFuture<Object>> oneBatch(Database db, List<String> keys, int failing, boolean pure) throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Object> holder = db.submit(w -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Object>> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            boolean fail = i == failing;
            out.add(pure ? db.submitPure(w -> write(w, k, fail)) : db.submit(w -> write(w, k, fail)));
        }
        release.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        return out;
    }

    @Test
    void aBatchAppliesItsSummaryOnceAndAFailedWriteTakesItsRecordsWithIt() throws Exception {
        for (boolean pure : new boolean[] {true, false}) {
            Path file = TempDirs.create("airotech-deferred").resolve("d.db");
            try (Database db = open(file)) {
                List<String> keys = List.of("a", "a", "b", "a", "c", "b");
                List<CompletableFuture<Object>> futures = oneBatch(db, keys, 4, pure);
                for (int i = 0; i < futures.size(); i++) {
                    if (i == 4) {
                        assertThatThrownBy(futures.get(i)::get).isInstanceOf(ExecutionException.class).hasMessageContaining("refused c");
                    } else {
                        assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(keys.get(i));
                    }
                }
                // a: 3 in one application, b: 2, c: its write failed and went with its row
                assertThat(tally(db)).as(pure ? "pure writes (replayed one by one)" : "writes with a savepoint each")
                        .containsEntry("a", List.of(3L, 1L)).containsEntry("b", List.of(2L, 1L)).doesNotContainKey("c");
            }
        }
    }

    @Test
    void aSummaryThatCannotBeAppliedFailsTheBatchAndNothingOfItIsStored() throws Exception {
        Path file = TempDirs.create("airotech-deferred").resolve("d.db");
        try (Database db = open(file)) {
            WriteContext.Summary broken = (w, records) -> { throw new java.sql.SQLException("the summary's table is gone"); };
            CompletableFuture<Object> doomed = db.submit(w -> {
                write(w, "x", false);
                w.defer(broken, "x");
                return "x";
            });
            assertThatThrownBy(() -> doomed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("nothing was stored");
            long rows = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM rows"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).isZero();
            assertThat(tally(db)).isEmpty();
            // the next batch is not disturbed
            assertThat(db.submit(w -> write(w, "y", false)).get(10, TimeUnit.SECONDS)).isEqualTo("y");
            assertThat(tally(db)).containsEntry("y", List.of(1L, 1L));
        }
    }
}
