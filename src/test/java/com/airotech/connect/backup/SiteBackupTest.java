package com.airotech.connect.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TempDirs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backups of a real site on disk: what they hold, and every way a damaged one or a wrong target is refused. */
class SiteBackupTest {
    private Path work;
    private DataDirectory dir;
    private final SiteBackup backups = new SiteBackup(Clock.systemUTC(), "test");

    @BeforeEach
    void site() {
        work = TempDirs.create("backup-test");
        try (Platform p = Platform.open(Config.defaults(work.resolve("data")))) {
            p.tenants().create("acme", null, Principal.localActor());
            dir = p.dataDirectory();
        }
    }

    @Test
    void aBackupIsOneOwnerOnlyFileWhoseManifestNamesEveryPartWithItsHash() throws Exception {
        List<String> steps = new ArrayList<>();
        SiteBackup.Written w = backups.create(dir, work.resolve("b.zip"), (step, done, total) -> steps.add(step));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.file()))).isEqualTo("rw-------");
        assertThat(w.manifest().schema()).isGreaterThanOrEqualTo(7);
        assertThat(w.manifest().parts()).extracting(BackupManifest.Part::name)
                .containsExactly("airotech.db", "master.key", "ca.pem", "ca-key.sealed", "oauth-signing-keys.json", "audit-key.sha256");
        assertThat(w.manifest().parts().get(1).sha256()).isEqualTo(com.airotech.connect.common.Crypto.sha256Hex(Files.readAllBytes(dir.resolve("master.key"))));
        assertThat(steps).contains("Copying the database", "Done");
        assertThat(backups.verify(w.file()).parts()).isEqualTo(w.manifest().parts());
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data", "b.zip");
        }
    }

    @Test
    void anExistingBackupFileIsNeverOverwritten() throws Exception {
        Path b = work.resolve("b.zip");
        Files.writeString(b, "precious");
        assertThatThrownBy(() -> backups.create(dir, b, SiteBackup.Progress.NONE)).isInstanceOf(StorageException.class).hasMessageContaining("exists already");
        assertThat(Files.readString(b)).isEqualTo("precious");
    }

    @Test
    void aRestoreRefusesANonEmptyDirectoryAndTouchesNothingInIt() throws Exception {
        Path b = backups.create(dir, work.resolve("b.zip"), SiteBackup.Progress.NONE).file();
        Path busy = Files.createDirectories(work.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> backups.restore(b, busy, SiteBackup.Progress.NONE)).hasMessageContaining("not empty");
        try (var files = Files.list(busy)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aPartThatDoesNotMatchItsHashIsRefusedAndTheRestoreLeavesNothingBehind() throws Exception {
        Path b = backups.create(dir, work.resolve("b.zip"), SiteBackup.Progress.NONE).file();
        Path tampered = rewrite(b, "master.key", new byte[32]);
        Path target = work.resolve("restored");
        assertThatThrownBy(() -> backups.restore(tampered, target, SiteBackup.Progress.NONE))
                .isInstanceOf(StorageException.class).hasMessageContaining("master.key does not match its size and SHA-256");
        assertThat(target).doesNotExist();
        assertThatThrownBy(() -> backups.verify(tampered)).hasMessageContaining("master.key");
    }

    @Test
    void aManifestThatDoesNotMatchItsChecksumIsRefused() throws Exception {
        Path b = backups.create(dir, work.resolve("b.zip"), SiteBackup.Progress.NONE).file();
        String manifest;
        try (ZipFile z = new ZipFile(b.toFile())) {
            manifest = new String(z.getInputStream(z.getEntry("manifest.json")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path tampered = rewrite(b, "manifest.json", manifest.replace("\"schema\"", "\"schema\" ").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> backups.restore(tampered, work.resolve("r"), SiteBackup.Progress.NONE)).hasMessageContaining("does not match its checksum");
    }

    @Test
    void aFileThatIsNoBackupOrIsCutShortIsRefusedWithASentence() throws Exception {
        Path b = backups.create(dir, work.resolve("b.zip"), SiteBackup.Progress.NONE).file();
        byte[] all = Files.readAllBytes(b);
        Path cut = Files.write(work.resolve("cut.zip"), java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> backups.restore(cut, work.resolve("r1"), SiteBackup.Progress.NONE)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not an AIROTECH Connect backup");
        Path text = Files.writeString(work.resolve("text.zip"), "hello");
        assertThatThrownBy(() -> backups.restore(text, work.resolve("r2"), SiteBackup.Progress.NONE)).isInstanceOf(StorageException.class);
        assertThat(work.resolve("r1")).doesNotExist();
    }

    @Test
    void aRestoredSiteHasTheSameKeysAndOpens() throws Exception {
        Path b = backups.create(dir, work.resolve("b.zip"), SiteBackup.Progress.NONE).file();
        Path target = work.resolve("restored");
        SiteBackup.Restored r = backups.restore(b, target, SiteBackup.Progress.NONE);
        assertThat(r.dataDir()).isEqualTo(target);
        for (String f : List.of("master.key", "ca.pem", "ca-key.sealed", "oauth-signing-keys.json")) {
            assertThat(Files.readAllBytes(target.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve(f)));
        }
        try (Platform p = Platform.open(Config.defaults(target))) {
            assertThat(p.tenants().list()).extracting(t -> t.name()).containsExactly("acme");
        }
    }

    @Test
    void scheduledBackupsKeepTheNewestAndRefuseAFolderInsideTheDataDirectory() throws Exception {
        assertThatThrownBy(() -> new BackupSchedule(backups, dir, dir.resolve("b"), Duration.ofHours(1), 2, Clock.systemUTC()))
                .hasMessageContaining("inside the data directory");
        assertThat(BackupSchedule.parsePeriod("24h")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> BackupSchedule.parsePeriod("daily")).hasMessageContaining("24h");
        try (BackupSchedule s = new BackupSchedule(backups, dir, work.resolve("scheduled"), Duration.ofHours(1), 2, Clock.systemUTC())) {
            s.start();
            List<Path> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) made.add(s.runOnce());
            assertThat(made).doesNotContainNull();
            assertThat(s.backups()).containsExactly(made.get(1), made.get(2));
        }
    }

    /** A copy of {@code zip} with one entry's content replaced (the manifest is left as it was). */
    private Path rewrite(Path zip, String entry, byte[] content) throws Exception {
        Path out = work.resolve("tampered-" + System.nanoTime() + ".zip");
        try (ZipFile in = new ZipFile(zip.toFile()); OutputStream o = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry x = e.nextElement();
                z.putNextEntry(new ZipEntry(x.getName()));
                z.write(x.getName().equals(entry) ? content : in.getInputStream(x).readAllBytes());
                z.closeEntry();
            }
        }
        return out;
    }
}
