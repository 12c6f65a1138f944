package com.airotech.connect.backup;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.oauth.SigningKeys;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.secret.MasterKey;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.IntegrityCheck;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole site in one file, and back. A backup is a ZIP (0600 from its first byte) of the database,
 * copied consistently while a gateway keeps writing, and every key beside it: the master key ring,
 * the local CA, the token signing keys and the console's settings. {@code manifest.json} names each
 * part with its size and SHA-256; {@code manifest.sha256} is the SHA-256 of the manifest.
 *
 * <p>The database is copied with {@code VACUUM INTO} on a connection of its own: it reads one
 * snapshot from start to end, so writes by the gateway meanwhile go to the WAL and never restart it
 * (the online backup API starts over on every write by another connection, and never finished under
 * a steady ingest). The copy is checked with {@code PRAGMA quick_check} before it is packed.
 */
public final class SiteBackup {
    private static final Logger log = LoggerFactory.getLogger(SiteBackup.class);
    static final String MANIFEST = "manifest.json";
    static final String MANIFEST_SHA = "manifest.sha256";

    /** A file of the data directory a backup carries; the required ones make a site. */
    private record Kind(String name, boolean required) {}

    /** Every part, in the order they are written. The database first: it is the long one. */
    private static final List<Kind> PARTS = List.of(
            new Kind(DataDirectory.DATABASE, true),
            new Kind("master.key", true),
            new Kind("master.key.next", false),   // present while (or after a killed) keys rotate
            new Kind("master.key.prev", false),
            new Kind("ca.pem", true),
            new Kind("ca-key.sealed", true),
            new Kind("oauth-signing-keys.json", true),
            new Kind("settings.json", false),
            // the audit key's fingerprint, so a restored site still catches a replaced key row
            new Kind(com.airotech.connect.audit.AuditLog.KEY_MARKER, false));

    private static final Set<String> KNOWN = Set.copyOf(PARTS.stream().map(Kind::name).toList());

    /** Told where a long backup or restore is: a step for people, and bytes done of bytes in all (total -1: unknown yet). */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (step, done, total) -> { };

        void update(String step, long done, long total);
    }

    /** What a finished backup wrote. */
    public record Written(Path file, long bytes, BackupManifest manifest, Duration took) {}

    /** What a restore put where. */
    public record Restored(Path dataDir, BackupManifest manifest, Duration took) {}

    private final Clock clock;
    private final String productVersion;

    public SiteBackup(Clock clock, String productVersion) {
        this.clock = clock;
        this.productVersion = productVersion;
    }

    /** With this build's version (from the jar), as every caller but tests wants it. */
    public SiteBackup(Clock clock) { this(clock, buildVersion()); }

    static String buildVersion() {
        try (InputStream in = SiteBackup.class.getResourceAsStream("/airotech-version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    // ------------------------------------------------------------------ backup

    /**
     * Writes a backup of the site in {@code dir} to {@code target} (which must not exist yet). Safe
     * while a gateway serves the directory: it takes no lock and does not write to the database.
     */
    public Written create(DataDirectory dir, Path target, Progress progress) {
        long start = System.nanoTime();
        Path out = target.toAbsolutePath().normalize();
        if (Files.exists(out)) throw new StorageException("The backup file " + out + " exists already. Choose a new name, or remove the old file first.");
        if (!dir.holdsDatabase()) {
            throw new StorageException("There is no site to back up in " + dir.root() + " (no database). Check --data-dir: a running gateway prints its own.");
        }
        Path parent = out.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StorageException("Cannot create the folder " + parent + " for the backup (" + e.getClass().getSimpleName() + "). Choose a writable place.");
        }
        Path partial = parent.resolve("." + out.getFileName() + ".partial");
        Path dbCopy = parent.resolve("." + out.getFileName() + ".db-partial");
        try {
            progress.update("Copying the database", 0, -1);
            createPrivate(dbCopy);
            int schema = copyDatabase(dir.resolve(DataDirectory.DATABASE), dbCopy);
            List<BackupManifest.Part> parts = new ArrayList<>();
            long total = Files.size(dbCopy);
            Map<String, byte[]> keys = new LinkedHashMap<>();
            for (Kind k : PARTS) {
                if (k.name().equals(DataDirectory.DATABASE)) continue;
                byte[] b = readIfPresent(dir.resolve(k.name()));
                if (b == null) {
                    if (k.required()) {
                        throw new StorageException(dir.resolve(k.name()) + " is missing: this data directory is not a whole site, and its backup"
                                + " could not be restored. Restore the file from an older backup first.");
                    }
                    continue;
                }
                keys.put(k.name(), b);
                total += b.length;
            }
            createPrivate(partial);
            try (OutputStream file = Channels.newOutputStream(FileChannel.open(partial, StandardOpenOption.WRITE));
                 ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
                // fastest deflate: event bodies are JSON, which shrinks a lot even so, and a backup under load should be quick
                zip.setLevel(Deflater.BEST_SPEED);
                long[] done = {0};
                long all = total;
                parts.add(writePart(zip, DataDirectory.DATABASE, dbCopy, n -> {
                    done[0] += n;
                    progress.update("Packing the database", done[0], all);
                }));
                for (Map.Entry<String, byte[]> e : keys.entrySet()) {
                    parts.add(writePart(zip, e.getKey(), e.getValue()));
                    done[0] += e.getValue().length;
                    progress.update("Packing the keys", done[0], all);
                }
                BackupManifest m = new BackupManifest(BackupManifest.FORMAT, productVersion, schema, clock.instant(), parts);
                byte[] manifest = (m.toJson().toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
                writePart(zip, MANIFEST, manifest);
                writePart(zip, MANIFEST_SHA, (Crypto.sha256Hex(manifest) + "  " + MANIFEST + "\n").getBytes(StandardCharsets.US_ASCII));
                zip.finish();
                zip.flush();
                try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
                long bytes = Files.size(out);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                progress.update("Done", all, all);
                log.info("backup written: {} ({} MiB, database {} MiB, schema {}, {} s)", out, bytes >> 20, m.parts().get(0).size() >> 20,
                        schema, took.toMillis() / 1000.0);
                return new Written(out, bytes, m, took);
            }
        } catch (IOException e) {
            throw new StorageException("The backup to " + out + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); nothing was left behind. Check the space on " + parent + " (a backup needs about the database's size twice while it is made).", e);
        } finally {
            deleteQuietly(dbCopy);
            deleteQuietly(partial);
        }
    }

    /** Copies the live database into {@code copy} (an empty file) from one read snapshot; returns its schema. */
    private static int copyDatabase(Path db, Path copy) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA temp_store=MEMORY");
            s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            if (e instanceof org.sqlite.SQLiteException se && (se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT
                    || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_NOTADB)) {
                throw new StorageException("The database " + db + " is damaged (" + se.getMessage() + ") and cannot be backed up."
                        + " Restore the site from an earlier backup.", e);
            }
            throw new StorageException("Cannot copy the database " + db + " (" + e.getMessage() + "). Check the disk space beside the backup file.", e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            IntegrityCheck.Result r = IntegrityCheck.run(c, "quick_check", null);
            if (!r.ok()) {
                throw new StorageException("The copy of " + db + " fails its check (" + String.join("; ", r.problems()) + "): the database is"
                        + " damaged. Restore the site from an earlier backup.");
            }
            return schemaOf(c);
        } catch (SQLException e) {
            throw new StorageException("Cannot check the copy of " + db + " (" + e.getMessage() + ").", e);
        }
    }

    private static int schemaOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private interface Counter { void add(long n); }

    private static BackupManifest.Part writePart(ZipOutputStream zip, String name, Path file, Counter counter) throws IOException {
        zip.putNextEntry(entry(name));
        Hashed h;
        try (InputStream in = Files.newInputStream(file)) {
            h = copyHashing(in, zip, counter);
        }
        zip.closeEntry();
        return new BackupManifest.Part(name, h.size(), h.sha256());
    }

    private static BackupManifest.Part writePart(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(entry(name));
        zip.write(content);
        zip.closeEntry();
        return new BackupManifest.Part(name, content.length, Crypto.sha256Hex(content));
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0); // the manifest carries the time; entries stay free of the file system's clock
        return e;
    }

    // ------------------------------------------------------------------ verify and restore

    /** Checks a backup file without restoring it: the manifest's checksum, every part's size and SHA-256. */
    public BackupManifest verify(Path source) {
        try (ZipFile zip = open(source)) {
            BackupManifest m = manifest(zip, source);
            for (BackupManifest.Part p : m.parts()) {
                try (InputStream in = zip.getInputStream(zip.getEntry(p.name()))) {
                    checkPart(source, p, copyHashing(in, OutputStream.nullOutputStream(), n -> { }));
                }
            }
            return m;
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /**
     * Restores the backup {@code source} into {@code target}, which must be empty or not exist: checks
     * the manifest's checksum, each part's size and SHA-256, the database's {@code PRAGMA integrity_check}
     * and that the keys open with the restored master key. On any failure it removes what it wrote.
     */
    public Restored restore(Path source, Path target, Progress progress) {
        long start = System.nanoTime();
        Path dirPath = target.toAbsolutePath().normalize();
        refuseNonEmpty(dirPath);
        boolean existed = Files.isDirectory(dirPath);
        DataDirectory dir = DataDirectory.open(dirPath);
        List<Path> written = new ArrayList<>();
        boolean ok = false;
        try (ZipFile zip = open(source)) {
            BackupManifest m = manifest(zip, source);
            if (m.schema() > Database.newestSchema()) {
                throw new StorageException("The backup " + source + " was made by a newer AIROTECH Connect (" + m.productVersion() + ", schema "
                        + m.schema() + "). Restore it with that version or newer.");
            }
            for (String required : PARTS.stream().filter(Kind::required).map(Kind::name).toList()) {
                if (m.parts().stream().noneMatch(p -> p.name().equals(required))) {
                    throw new StorageException("The backup " + source + " lacks " + required + ": it is not a whole site. Use another backup.");
                }
            }
            long total = m.totalBytes();
            long[] done = {0};
            for (BackupManifest.Part p : m.parts()) {
                Path file = dir.resolve(p.name());
                Path partial = dir.resolve(p.name() + ".partial");
                createPrivate(partial);
                written.add(partial);
                try (InputStream in = zip.getInputStream(zip.getEntry(p.name()));
                     OutputStream outFile = Channels.newOutputStream(FileChannel.open(partial, StandardOpenOption.WRITE))) {
                    Hashed h = copyHashing(in, outFile, n -> {
                        done[0] += n;
                        progress.update("Restoring " + p.name(), done[0], total);
                    });
                    checkPart(source, p, h);
                }
                try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                written.add(file);
            }
            progress.update("Checking the database", total, total);
            checkRestored(dir, source);
            ok = true;
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            log.info("backup {} restored into {} (schema {}, made {})", source, dirPath, m.schema(), m.createdAt());
            return new Restored(dirPath, m, took);
        } catch (IOException e) {
            throw unreadable(source, e);
        } finally {
            if (!ok) {
                for (Path p : written) deleteQuietly(p);
                if (!existed) deleteQuietly(dirPath);
            }
        }
    }

    /** The restored database passes integrity_check, and the restored master key opens the CA key and the signing keys. */
    private static void checkRestored(DataDirectory dir, Path source) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DataDirectory.DATABASE))) {
            IntegrityCheck.Result r = IntegrityCheck.run(c, "integrity_check", null);
            if (!r.ok()) {
                throw new StorageException("The database in the backup " + source + " fails its integrity check (" + String.join("; ", r.problems())
                        + "). Use another backup.");
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot check the restored database (" + e.getMessage() + "). Use another backup.", e);
        }
        MasterKey key = MasterKey.loadOrCreate(dir);
        // both refuse, with what to do, when they do not open with this key
        LocalCa.loadOrCreate(dir, key, Clock.systemUTC());
        SigningKeys.loadOrCreate(dir, key, Clock.systemUTC());
    }

    private static void refuseNonEmpty(Path dir) {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) throw new StorageException(dir + " is a file. Restore into a new, empty directory.");
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new StorageException("The directory " + dir + " is not empty. A restore never writes over a site: restore into a new,"
                        + " empty directory, then start the gateway on it (airotech-connect serve --data-dir DIR).");
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read the directory " + dir + " (" + e.getClass().getSimpleName() + "). Choose another.");
        }
    }

    private static ZipFile open(Path source) throws IOException {
        if (!Files.isRegularFile(source)) throw new StorageException("There is no backup file at " + source + ".");
        try {
            return new ZipFile(source.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new StorageException("The file " + source + " is not an AIROTECH Connect backup (it is not a ZIP archive, or it is cut short).");
        }
    }

    /** The manifest, checked against its checksum; the archive must hold exactly the parts it names. */
    private static BackupManifest manifest(ZipFile zip, Path source) throws IOException {
        ZipEntry me = zip.getEntry(MANIFEST);
        ZipEntry se = zip.getEntry(MANIFEST_SHA);
        if (me == null || se == null) throw new StorageException("The file " + source + " is not an AIROTECH Connect backup (no manifest).");
        byte[] manifest;
        String sum;
        try (InputStream in = zip.getInputStream(me); InputStream s = zip.getInputStream(se)) {
            manifest = in.readNBytes(1 << 20);
            sum = new String(s.readNBytes(200), StandardCharsets.US_ASCII).strip();
        }
        String expected = sum.split("\\s+")[0];
        if (!MessageDigest.isEqual(Crypto.sha256Hex(manifest).getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
            throw new StorageException("The backup " + source + " is damaged: its manifest does not match its checksum. Use another backup.");
        }
        BackupManifest m;
        try {
            m = BackupManifest.fromJson(Json.tree(manifest));
        } catch (RuntimeException e) {
            throw new StorageException("The backup " + source + " has an unreadable manifest (" + e.getMessage() + "). Use another backup.");
        }
        Set<String> named = new java.util.HashSet<>();
        for (BackupManifest.Part p : m.parts()) {
            if (!KNOWN.contains(p.name()) || !named.add(p.name())) {
                throw new StorageException("The backup " + source + " names an unexpected part '" + p.name() + "'. Use another backup.");
            }
            if (zip.getEntry(p.name()) == null) throw new StorageException("The backup " + source + " lacks its part " + p.name() + ": it is damaged.");
        }
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (!named.contains(n) && !n.equals(MANIFEST) && !n.equals(MANIFEST_SHA)) {
                throw new StorageException("The backup " + source + " holds a file its manifest does not name ('" + n + "'). Use another backup.");
            }
        }
        return m;
    }

    private record Hashed(long size, String sha256) {}

    private static Hashed copyHashing(InputStream in, OutputStream out, Counter counter) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            size += n;
            counter.add(n);
        }
        return new Hashed(size, Crypto.hex(sha.digest()));
    }

    private static void checkPart(Path source, BackupManifest.Part p, Hashed h) {
        if (h.size() != p.size() || !MessageDigest.isEqual(h.sha256().getBytes(StandardCharsets.US_ASCII), p.sha256().getBytes(StandardCharsets.US_ASCII))) {
            throw new StorageException("The backup " + source + " is damaged: " + p.name() + " does not match its size and SHA-256 in the manifest."
                    + " Use another backup.");
        }
    }

    private static StorageException unreadable(Path source, IOException e) {
        return new StorageException("The backup " + source + " cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "); it may be damaged or cut short. Use another backup.", e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates an empty file readable by its owner only, from the start (never broader, even briefly). */
    private static void createPrivate(Path p) throws IOException {
        Files.deleteIfExists(p);
        Files.createFile(p, PosixFilePermissions.asFileAttribute(DataDirectory.FILE_MODE));
    }

    private static byte[] readIfPresent(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover partial file is named as such; the next backup replaces it
        }
    }
}
