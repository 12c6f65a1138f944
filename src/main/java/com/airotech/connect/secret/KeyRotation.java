package com.airotech.connect.secret;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code keys rotate}: a new master key, and every tenant data key (and every other value sealed
 * directly by the master key) re-wrapped under it, such that a {@code kill -9} at any moment leaves
 * a directory where every secret still opens:
 * <ol>
 *   <li>the new key is written to {@code master.key.next} (nothing is sealed under it yet);</li>
 *   <li>the old key is copied to {@code master.key.prev};</li>
 *   <li>{@code master.key.next} atomically replaces {@code master.key}: from now on new values are
 *       sealed under the new key, and the old one is still on disk beside it;</li>
 *   <li>one transaction re-wraps everything still under another key;</li>
 *   <li>a second pass catches values another process sealed under the old key meanwhile, and only
 *       then is {@code master.key.prev} deleted.</li>
 * </ol>
 * Every present key file is loaded by {@link MasterKey}, so an interrupted rotation loses nothing; the
 * next {@code keys rotate} first finishes (or undoes) the interrupted one.
 */
public final class KeyRotation {
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    /** A column of values sealed directly by the master key, outside the secret store, re-sealed on rotation. */
    public record SealedColumn(String table, List<String> keyColumns, String sealedColumn, Function<List<String>, String> associatedData) {
        public SealedColumn {
            Objects.requireNonNull(table);
            keyColumns = List.copyOf(keyColumns);
            Objects.requireNonNull(sealedColumn);
            Objects.requireNonNull(associatedData);
        }
    }

    /** What a rotation did. */
    public record Result(String masterKeyId, String previousMasterKeyId, int dataKeysRewrapped, int valuesResealed, boolean resumedInterrupted) {}

    private final MasterKey masterKey;
    private final Database db;
    private final Clock clock;
    private final List<SealedColumn> columns;
    private final Consumer<String> afterStep;

    public KeyRotation(MasterKey masterKey, Database db, Clock clock, List<SealedColumn> columns) {
        this(masterKey, db, clock, columns, step -> { });
    }

    /** {@code afterStep} is called after each durable step (tests stop the rotation there, as a crash would). */
    KeyRotation(MasterKey masterKey, Database db, Clock clock, List<SealedColumn> columns, Consumer<String> afterStep) {
        if (masterKey.directory() == null) throw new IllegalArgumentException("rotation needs a master key loaded from a data directory");
        this.masterKey = masterKey;
        this.db = db;
        this.clock = clock;
        this.columns = List.copyOf(columns);
        this.afterStep = afterStep;
    }

    /** Something outside the database that the master key seals (a key file): re-sealed under the current key. */
    @FunctionalInterface
    public interface Resealer {
        void reseal();
    }

    private final List<Resealer> resealers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a sealed file to re-seal on every rotation (idempotent: it opens under either key while both exist). */
    public KeyRotation alsoReseal(Resealer r) {
        resealers.add(r);
        return this;
    }

    public synchronized Result rotate() {
        DataDirectory dir = masterKey.directory();
        try (FileChannel ch = FileChannel.open(dir.resolve(MasterKey.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            boolean resumed = finishInterrupted(dir);
            Path file = dir.resolve(MasterKey.FILE);
            byte[] old = MasterKey.readKey(file);
            String oldId = MasterKey.idOf(old);
            byte[] fresh = Crypto.randomBytes(32);
            String newId = MasterKey.idOf(fresh);

            DataDirectory.writeKeyFile(dir.resolve(MasterKey.NEXT), fresh);
            syncDirectory(dir);
            afterStep.accept("next-written");
            DataDirectory.writeKeyFile(dir.resolve(MasterKey.PREV), old);
            syncDirectory(dir);
            afterStep.accept("prev-written");
            Files.move(dir.resolve(MasterKey.NEXT), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            masterKey.reload();
            afterStep.accept("promoted");

            int[] counts = rewrapAll();
            afterStep.accept("rewrapped");
            int[] late = rewrapAll();
            Files.deleteIfExists(dir.resolve(MasterKey.PREV));
            syncDirectory(dir);
            masterKey.reload();
            java.util.Arrays.fill(old, (byte) 0);
            java.util.Arrays.fill(fresh, (byte) 0);
            Result r = new Result(newId, oldId, counts[0] + late[0], counts[1] + late[1], resumed);
            log.info("master key rotated to {}: {} data keys re-wrapped, {} other sealed values re-sealed", newId, r.dataKeysRewrapped(), r.valuesResealed());
            return r;
        } catch (IOException e) {
            throw new StorageException("The master key rotation could not write its key files (" + e.getClass().getSimpleName()
                    + "). Every secret still opens; fix the data directory and run `airotech-connect keys rotate` again.");
        }
    }

    /** Completes a rotation that stopped after promoting the new key, or undoes one that stopped before. */
    private boolean finishInterrupted(DataDirectory dir) throws IOException {
        Path next = dir.resolve(MasterKey.NEXT);
        Path prev = dir.resolve(MasterKey.PREV);
        boolean any = Files.exists(next) || Files.exists(prev);
        if (!any) return false;
        String currentId = MasterKey.idOf(MasterKey.readKey(dir.resolve(MasterKey.FILE)));
        // never promoted: nothing was ever sealed under the next key
        Files.deleteIfExists(next);
        if (Files.exists(prev)) {
            if (!MasterKey.idOf(MasterKey.readKey(prev)).equals(currentId)) {
                masterKey.reload();
                rewrapAll();
            }
            Files.delete(prev);
        }
        syncDirectory(dir);
        masterKey.reload();
        log.info("finished an interrupted master key rotation");
        return true;
    }

    /** Re-wraps every data key and re-seals every registered value not under the current key; one transaction. */
    private int[] rewrapAll() {
        int[] counts = rewrapDatabase();
        for (Resealer r : resealers) {
            r.reseal();
            counts[1]++;
        }
        return counts;
    }

    private int[] rewrapDatabase() {
        String current = masterKey.currentKeyId();
        long now = clock.millis();
        return db.write(w -> {
            int keys = 0;
            List<Object[]> rows = new ArrayList<>();
            PreparedStatement sel = w.prepare("SELECT tenant_id, wrapped_key FROM tenant_data_keys WHERE master_key_id <> ?");
            sel.setString(1, current);
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) rows.add(new Object[] {rs.getString(1), rs.getBytes(2)});
            }
            PreparedStatement upd = w.prepare("UPDATE tenant_data_keys SET master_key_id = ?, wrapped_key = ?, rewrapped_at = ? WHERE tenant_id = ?");
            for (Object[] row : rows) {
                String tenant = (String) row[0];
                String ad = LocalSecretStore.dataKeyAssociatedData(tenant);
                byte[] raw = masterKey.open((byte[]) row[1], ad);
                byte[] sealed = masterKey.seal(raw, ad);
                java.util.Arrays.fill(raw, (byte) 0);
                upd.setString(1, MasterKey.keyIdOf(sealed));
                upd.setBytes(2, sealed);
                upd.setLong(3, now);
                upd.setString(4, tenant);
                upd.executeUpdate();
                keys++;
                afterStep.accept("rewrapping");
            }
            int values = 0;
            for (SealedColumn col : columns) values += reseal(w, col);
            return new int[] {keys, values};
        });
    }

    private int reseal(com.airotech.connect.store.WriteContext w, SealedColumn col) throws SQLException {
        String keys = String.join(", ", col.keyColumns());
        List<Object[]> rows = new ArrayList<>();
        PreparedStatement sel = w.prepare("SELECT rowid, " + keys + ", " + col.sealedColumn() + " FROM " + col.table()
                + " WHERE " + col.sealedColumn() + " IS NOT NULL");
        try (ResultSet rs = sel.executeQuery()) {
            while (rs.next()) {
                byte[] sealed = rs.getBytes(col.keyColumns().size() + 2);
                if (!masterKey.needsReseal(sealed)) continue;
                List<String> key = new ArrayList<>();
                for (int i = 0; i < col.keyColumns().size(); i++) key.add(rs.getString(i + 2));
                rows.add(new Object[] {rs.getLong(1), key, sealed});
            }
        }
        PreparedStatement upd = w.prepare("UPDATE " + col.table() + " SET " + col.sealedColumn() + " = ? WHERE rowid = ?");
        int n = 0;
        for (Object[] row : rows) {
            @SuppressWarnings("unchecked") String ad = col.associatedData().apply((List<String>) row[1]);
            byte[] raw = masterKey.open((byte[]) row[2], ad);
            upd.setBytes(1, masterKey.seal(raw, ad));
            java.util.Arrays.fill(raw, (byte) 0);
            upd.setLong(2, (Long) row[0]);
            upd.executeUpdate();
            n++;
        }
        return n;
    }

    private static void syncDirectory(DataDirectory dir) {
        try (FileChannel ch = FileChannel.open(dir.root(), StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the renames are still atomic
        }
    }
}
