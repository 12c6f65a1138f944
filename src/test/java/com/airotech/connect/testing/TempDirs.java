package com.airotech.connect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for tests and the bench, removed when the JVM ends: a test run leaves
 * nothing behind (databases of gigabytes after a bench run filled the disk once).
 * {@code AIROTECH_KEEP_TEMP=1} keeps them for a look afterwards.
 */
public final class TempDirs {
    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "temp-dirs-cleanup"));
    }

    private TempDirs() {}

    /** A new directory under the system's temporary directory, removed at exit. */
    public static Path create(String prefix) {
        try {
            return track(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new directory under {@code parent} (e.g. /dev/shm), removed at exit. */
    public static Path create(Path parent, String prefix) {
        try {
            return track(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path track(Path dir) {
        synchronized (CREATED) {
            CREATED.add(dir);
        }
        return dir;
    }

    /** Deletes a directory and everything in it now; what cannot be deleted is left. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file still held open by a process that has not ended: left for the system's tmp cleaner
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the tree changed while it was walked: what is left stays
        }
    }

    private static void deleteAll() {
        if ("1".equals(System.getenv("AIROTECH_KEEP_TEMP"))) return;
        List<Path> dirs;
        synchronized (CREATED) {
            dirs = List.copyOf(CREATED);
        }
        dirs.forEach(TempDirs::deleteTree);
    }
}
