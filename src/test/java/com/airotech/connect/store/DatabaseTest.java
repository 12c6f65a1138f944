package com.airotech.connect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.testing.TestGateway;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    private static long count(Database db) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tenants"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static SqlFunction<WriteContext, String> insertTenant(String id) {
        return w -> {
            PreparedStatement ps = w.prepare("INSERT INTO tenants (tenant_id, name, created_at) VALUES (?,?,0)");
            ps.setString(1, id);
            ps.setString(2, "name-" + id);
            ps.executeUpdate();
            return id;
        };
    }

    @Test
    void everyMigrationScriptOnTheClassPathIsDiscoveredAndApplied() throws Exception {
        java.util.List<Integer> scripts = Migrations.presentScripts();
        int files;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of(Migrations.class.getResource("/db/V1.sql").toURI()).getParent())) {
            files = (int) s.filter(f -> f.getFileName().toString().matches("V\\d+\\.sql")).count();
        }
        assertThat(scripts).hasSize(files).startsWith(1).isSorted();
        Path file = TestGateway.tempDir().resolve("m.db");
        try (Database db = Database.open(file)) {
            java.util.List<Integer> applied = db.read(c -> {
                java.util.List<Integer> out = new java.util.ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                    while (rs.next()) out.add(rs.getInt(1));
                }
                return out;
            });
            assertThat(applied).isEqualTo(scripts);
        }
    }

    @Test
    void pragmasAreWalFullSyncAndForeignKeys() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file)) {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) { rs.next(); assertThat(rs.getString(1)).isEqualTo("wal"); }
                    try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) { rs.next(); assertThat(rs.getInt(1)).isEqualTo(2); }
                    try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) { rs.next(); assertThat(rs.getInt(1)).isEqualTo(1); }
                }
                return null;
            });
        }
    }

    @Test
    void aFailingOperationDoesNotUndoItsNeighboursInTheSameBatch() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file)) {
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(db.submit(i == 100 ? insertTenant("t0") : insertTenant("t" + i)));
            }
            int failed = 0;
            for (CompletableFuture<String> f : futures) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(1);
            assertThat(count(db)).isEqualTo(199);
        }
    }

    /** Two inserts; the second fails when {@code failSecond}, after the first has run. */
    private static SqlFunction<WriteContext, String> insertTwo(String id, boolean failSecond) {
        return w -> {
            insertTenant(id).apply(w);
            insertTenant(failSecond ? id : id + "-b").apply(w);
            return id;
        };
    }

    @Test
    void pureWritesShareASavepointYetAFailureStaysItsOwn() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file)) {
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                // pure and ordinary writes interleaved; two pure writes fail half-way through
                SqlFunction<WriteContext, String> op = insertTwo("p" + i, i == 77 || i == 211);
                futures.add(i % 50 == 0 ? db.submit(op) : db.submitPure(op));
            }
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("p" + i);
                } catch (ExecutionException e) {
                    failed.add(i);
                }
            }
            assertThat(failed).containsExactly(77, 211);
            // the failed writes left nothing (not even their first insert); every other wrote both rows
            assertThat(count(db)).isEqualTo(2L * 298);
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tenants WHERE tenant_id IN ('p77','p211')"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
                return null;
            });
        }
    }

    @Test
    void theWalStartsOverUnderSustainedWrites() throws Exception {
        // about 200 MB of WAL frames in total, written without a pause: a WAL that never starts
        // over (passive checkpoints racing the writer) would end far above the bound
        long largest = writeSustained(false);
        assertThat(largest).as("largest WAL seen, bytes").isLessThan(80L << 20);
    }

    @Test
    void theWalKeepsItsCeilingWhenTheBackgroundCheckpointCannotKeepUp() throws Exception {
        // a disk too slow for the background copy, taken to the limit: it copies nothing at all.
        // The writer must then copy the WAL back itself once it passes 64 MiB.
        long largest = writeSustained(true);
        assertThat(largest).as("largest WAL seen, bytes").isGreaterThan(60L << 20).isLessThan(80L << 20);
    }

    @Test
    void aReaderHoldingASnapshotLetsTheWalGrowAndOnceItEndsTheWalIsCopiedBackAndStartsOver() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        Path wal = file.resolveSibling("a.db-wal");
        try (Database db = Database.open(file); java.sql.Connection backup = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.setMaxQueueDelay(java.time.Duration.ofMinutes(1));
            // a long backup: one read snapshot held while the writer goes on
            backup.setAutoCommit(false);
            try (var st = backup.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM tenants")) {
                rs.next();
            }
            writeRows(db, "p", 90_000, () -> { });
            assertThat(java.nio.file.Files.size(wal)).as("the snapshot kept the WAL from being copied back").isGreaterThan(80L << 20);
            backup.commit(); // the backup ends

            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            com.airotech.connect.testing.Await.until("the WAL is copied back and starts over at its ceiling", () -> {
                db.write(insertTenant("after" + n.incrementAndGet()));
                try {
                    return java.nio.file.Files.size(wal) <= (64L << 20);
                } catch (java.io.IOException e) {
                    return false;
                }
            }, java.time.Duration.ofSeconds(60));
            assertThat(count(db)).isEqualTo(90_000 + n.get());
        }
    }

    interface Sample { void take() throws Exception; }

    /**
     * Writes {@code count} rows of about 1 KB with 2,000 in flight (a window that keeps the writer busy
     * without a gap and the queue bounded), taking a {@code sample} every 500 rows.
     */
    private static void writeRows(Database db, String prefix, int count, Sample sample) throws Exception {
        String padding = "x".repeat(1000);
        int window = 2_000;
        List<CompletableFuture<?>> inFlight = new ArrayList<>(java.util.Collections.nCopies(window, null));
        for (int i = 0; i < count; i++) {
            CompletableFuture<?> older = inFlight.get(i % window);
            if (older != null) older.get(60, TimeUnit.SECONDS);
            String id = prefix + i;
            inFlight.set(i % window, db.submitPure(w -> {
                PreparedStatement ps = w.prepare("INSERT INTO tenants (tenant_id, name, created_at) VALUES (?,?,0)");
                ps.setString(1, id);
                ps.setString(2, id + padding);
                ps.executeUpdate();
                return null;
            }));
            if (i % 500 == 0) sample.take();
        }
        for (CompletableFuture<?> f : inFlight) f.get(60, TimeUnit.SECONDS);
    }

    /** Writes 60,000 rows of about 1 KB with 2,000 in flight; returns the largest WAL file seen. */
    private static long writeSustained(boolean backgroundPaused) throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        Path wal = file.resolveSibling("a.db-wal");
        long largest = 0;
        try (Database db = Database.open(file)) {
            db.pauseBackgroundCheckpoints(backgroundPaused);
            // the test, not admission control, is the subject: let the queue hold what the window keeps in it
            db.setMaxQueueDelay(java.time.Duration.ofMinutes(1));
            long[] seen = {0};
            writeRows(db, "w", 60_000, () -> {
                if (java.nio.file.Files.exists(wal)) seen[0] = Math.max(seen[0], java.nio.file.Files.size(wal));
            });
            largest = seen[0];
            if (java.nio.file.Files.exists(wal)) largest = Math.max(largest, java.nio.file.Files.size(wal));
            assertThat(count(db)).isEqualTo(60_000);
        }
        return largest;
    }

    @Test
    void withALingerASmallBatchWaitsForMoreBeforeItCommits() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file)) {
            List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
            db.setStats((ops, nanos) -> batches.add(ops));
            db.setLinger(java.time.Duration.ofSeconds(20), 3);
            CompletableFuture<String> first = db.submit(insertTenant("l1"));
            // the writer has taken the first write and lingers for two more
            com.airotech.connect.testing.Await.until("writer took the first write", () -> db.queueDepth() == 0, java.time.Duration.ofSeconds(10));
            assertThat(first).isNotDone();
            CompletableFuture<String> second = db.submit(insertTenant("l2"));
            CompletableFuture<String> third = db.submit(insertTenant("l3"));
            CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(3);
            // without a linger each write commits as soon as the writer has it
            db.setLinger(java.time.Duration.ZERO, 3);
            db.submit(insertTenant("l4")).get(10, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(3, 1);
        }
    }

    @Test
    void everyAcknowledgedWriteIsInTheFileWhenTheFutureCompletes() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file)) {
            db.submit(insertTenant("x")).get(30, TimeUnit.SECONDS);
            // a separate connection (another process would see the same) reads the committed row
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT tenant_id FROM tenants")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("x");
            }
        }
    }

    @Test
    void aFullQueueIsUnavailableInsteadOfGrowing() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        try (Database db = Database.open(file, 2, 1)) {
            // hold the write lock from another connection so the writer cannot commit
            try (var other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout=0");
                s.execute("BEGIN IMMEDIATE");
                List<CompletableFuture<String>> accepted = new ArrayList<>();
                ApiException refused = null;
                for (int i = 0; i < 10 && refused == null; i++) {
                    try {
                        accepted.add(db.submit(insertTenant("q" + i)));
                    } catch (ApiException e) {
                        refused = e;
                    }
                }
                assertThat(refused).isNotNull();
                assertThat(refused.kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
                assertThat(refused.code()).isEqualTo("unavailable");
                assertThat(refused.retryAfterSeconds()).isNotNull();
                s.execute("ROLLBACK");
                for (CompletableFuture<String> f : accepted) f.get(30, TimeUnit.SECONDS);
                assertThat(count(db)).isEqualTo(accepted.size());
            }
        }
    }

    @Test
    void closingCommitsWhatWasQueued() throws Exception {
        Path file = TestGateway.tempDir().resolve("a.db");
        List<CompletableFuture<String>> futures = new ArrayList<>();
        Database db = Database.open(file);
        for (int i = 0; i < 500; i++) futures.add(db.submit(insertTenant("c" + i)));
        db.close();
        for (CompletableFuture<String> f : futures) assertThat(f).isCompleted();
        assertThatThrownBy(() -> db.submit(insertTenant("late"))).isInstanceOf(ApiException.class);
        try (Database again = Database.open(file)) {
            assertThat(count(again)).isEqualTo(500);
        }
    }
}
