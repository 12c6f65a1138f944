package com.airotech.connect.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data directory: created 0700, key files 0600, refused when broader, and a lock that keeps
 * two gateways from serving the same directory (the command line may share it).
 */
public final class DataDirectory {
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path root;

    private DataDirectory(Path root) { this.root = root; }

    public static DataDirectory open(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        try {
            if (!Files.exists(abs)) {
                Files.createDirectories(abs.getParent() == null ? abs : abs.getParent());
                try {
                    Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } catch (FileAlreadyExistsException ignored) {
                    // created concurrently by another process: checked below like any existing directory
                }
                Files.setPosixFilePermissions(abs, DIR_MODE);
            }
            if (!Files.isDirectory(abs)) {
                throw new StorageException("The data directory " + abs + " is not a directory. Choose another with --data-dir.");
            }
            if (!Files.isWritable(abs)) {
                throw new StorageException("The data directory " + abs + " is not writable by this user. Fix its owner, or choose another with --data-dir."
                        + (abs.startsWith("/var/lib/airotech-connect") ? " The service's directory belongs to its user: run the command as sudo -u airotech airotech-connect …" : ""));
            }
            requireMode(abs, DIR_MODE, "chmod 700 " + abs);
            refuseRootInOthersDirectory(abs);
        } catch (AccessDeniedException e) {
            throw new StorageException("The data directory " + abs + " cannot be created: permission denied. Choose a writable place with --data-dir.");
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("The data directory " + abs + " cannot be created: " + e.getFile() + " is a file, not a directory. Choose another place with --data-dir.");
        } catch (java.nio.file.FileSystemException e) {
            throw new StorageException("The data directory " + abs + " cannot be prepared: " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason())
                    + (e.getFile() == null ? "" : " (" + e.getFile() + ")") + ". Choose a writable place with --data-dir.");
        } catch (IOException e) {
            throw new StorageException("The data directory " + abs + " cannot be prepared (" + e.getClass().getSimpleName() + "). Check the disk and choose another with --data-dir.");
        }
        return new DataDirectory(abs);
    }

    /**
     * root can write anywhere, but files it creates in a service user's directory (the key, the
     * database) would lock that user out: sudo airotech-connect … on /var/lib/airotech-connect.
     */
    private static void refuseRootInOthersDirectory(Path abs) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) return;
        String owner = Files.getOwner(abs).getName();
        if (!owner.equals("root")) {
            throw new StorageException("The data directory " + abs + " belongs to the user " + owner + "; files root created there would lock "
                    + owner + " out. Run the command as that user: sudo -u " + owner + " airotech-connect … --data-dir " + abs);
        }
    }

    public Path root() { return root; }

    /** The database's file name in the data directory. */
    public static final String DATABASE = "airotech.db";

    /**
     * True when the data directory already holds a database (a site has run here). Keys found
     * missing beside one were lost (a partial restore, a deleted file): they are refused, never
     * made anew, since new keys would silently break every credential that depends on the old ones.
     */
    public boolean holdsDatabase() {
        try {
            return Files.size(root.resolve(DATABASE)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public Path resolve(String name) { return root.resolve(name); }

    /** Refuses a file or directory whose permissions are broader than the wanted mode. */
    public static void requireMode(Path p, Set<PosixFilePermission> allowed, String fix) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        if (view == null) return; // not a POSIX file system: nothing to check
        Set<PosixFilePermission> actual = view.readAttributes().permissions();
        EnumSet<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(actual);
        extra.removeAll(allowed);
        if (!extra.isEmpty()) {
            throw new StorageException(p + " has permissions " + PosixFilePermissions.toString(actual)
                    + ", broader than " + PosixFilePermissions.toString(allowed) + ". Run: " + fix);
        }
    }

    /** Writes a new key file atomically with mode 0600 (never readable by others, even briefly). */
    public static void writeKeyFile(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(content));
            ch.force(true);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The process id the lock holder wrote into the lock file, when it names a live process; else null. */
    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, java.nio.charset.StandardCharsets.US_ASCII).strip();
            if (!pid.matches("\\d{1,10}")) return null;
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).isPresent() ? pid : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Holds the gateway lock for the life of the process; fails if another gateway serves this directory. */
    public AutoCloseable lockForGateway() {
        Path lockFile = root.resolve("gateway.lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                String holder = holder(lockFile);
                throw new StorageException("Another AIROTECH Connect gateway" + (holder == null ? "" : " (process " + holder + ")")
                        + " is already serving " + root + ": the console, an 'airotech-connect serve', or the airotech-connect service. Use that one"
                        + " (the command line, e.g. import, may share the directory while it runs), stop it (close the console, or"
                        + " sudo systemctl stop airotech-connect), or start this one with another --data-dir.");
            }
            // who holds it, for the message a second gateway prints
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
            FileLock held = lock;
            return () -> { held.release(); ch.close(); };
        } catch (IOException e) {
            throw new StorageException("Cannot lock " + lockFile + " (" + e.getClass().getSimpleName() + "). Check the data directory's permissions.");
        }
    }

    /** Where the gateway serving this directory listens (its process, bind address and HTTP port). */
    public record RunningGateway(long pid, String bind, int httpPort) {}

    private static final String GATEWAY_FILE = "gateway.json";

    /**
     * Notes where this process's gateway listens, so that the command line sharing the directory
     * can point at it (the OAuth2 consent's redirect must reach the running gateway).
     */
    public void recordGateway(String bind, int httpPort) {
        String json = com.airotech.connect.common.Json.write(com.airotech.connect.common.Json.object()
                .put("pid", ProcessHandle.current().pid()).put("bind", bind).put("http_port", httpPort)) + "\n";
        Path file = root.resolve(GATEWAY_FILE);
        Path tmp = root.resolve(GATEWAY_FILE + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
            Files.writeString(tmp, json);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // only a convenience for the command line: the gateway serves without it
            org.slf4j.LoggerFactory.getLogger(DataDirectory.class).warn("Cannot note the gateway's port in {}: {}", file, e.getClass().getSimpleName());
        }
    }

    /** Forgets the note of {@link #recordGateway} (the gateway stopped). */
    public void forgetGateway() {
        try {
            Files.deleteIfExists(root.resolve(GATEWAY_FILE));
        } catch (IOException ignored) {
            // a stale note names a dead process, which runningGateway() ignores
        }
    }

    /** The gateway serving this directory now, from its note, when its process is alive; else empty. */
    public java.util.Optional<RunningGateway> runningGateway() { return runningGateway(root); }

    /** As {@link #runningGateway()}, for the directory {@code root}. */
    static java.util.Optional<RunningGateway> runningGateway(Path root) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = com.airotech.connect.common.Json.MAPPER.readTree(root.resolve(GATEWAY_FILE).toFile());
            long pid = n.path("pid").asLong(-1);
            int port = n.path("http_port").asInt(-1);
            String bind = n.path("bind").asText("");
            if (pid <= 0 || port <= 0 || port > 65535 || bind.isEmpty()) return java.util.Optional.empty();
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) return java.util.Optional.empty();
            return java.util.Optional.of(new RunningGateway(pid, bind, port));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
