package com.airotech.connect.retention;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much room the disk holding a directory has: the operating system's answer ({@code statfs}). */
@FunctionalInterface
public interface DiskSpace {
    /** Bytes free for this process to use, and the disk's size. */
    record Usage(long usableBytes, long totalBytes) {
        public double freePercent() { return totalBytes <= 0 ? 100.0 : 100.0 * usableBytes / totalBytes; }
    }

    Usage usage(Path directory) throws IOException;

    DiskSpace SYSTEM = dir -> {
        FileStore store = Files.getFileStore(dir);
        return new Usage(store.getUsableSpace(), store.getTotalSpace());
    };
}
