package com.airotech.connect.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.GatewayProcess;
import com.airotech.connect.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code serve --backup-dir DIR --backup-every P --backup-keep N}: the packaged gateway schedules its own backups, never into its data directory. */
class ScheduledBackupIT {

    @Test
    void serveSchedulesBackupsIntoAFolderOutsideItsDataDirectoryAndSaysSo() throws Exception {
        Path work = TestGateway.tempDir();
        Path data = work.resolve("data");
        Path backups = work.resolve("backups");
        assertThat(GatewayProcess.run("tenant", "create", "acme", "--data-dir", data.toString()).exit()).isZero();
        try (GatewayProcess g = GatewayProcess.serve(data, work.resolve("logs"), 60_000,
                "--backup-dir", backups.toString(), "--backup-every", "24h", "--backup-keep", "3")) {
            Await.until("the schedule is logged", () -> {
                try {
                    return g.output().contains("scheduled backups: every 24h into " + backups + ", keeping 3; the next in 1 min");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(20));
            assertThat(Files.isDirectory(backups)).isTrue();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backups))).isEqualTo("rwx------");
            assertThat(g.terminate()).isZero();
        }

        GatewayProcess.Result inside = GatewayProcess.run("serve", "--data-dir", data.toString(), "--http-port", "0", "--https-port", "-1",
                "--backup-dir", data.resolve("b").toString());
        assertThat(inside.exit()).isNotZero();
        assertThat(inside.stderr()).contains("is inside the data directory");
        GatewayProcess.Result badPeriod = GatewayProcess.run("serve", "--data-dir", data.toString(), "--http-port", "0", "--https-port", "-1",
                "--backup-dir", backups.toString(), "--backup-every", "daily");
        assertThat(badPeriod.exit()).isNotZero();
        assertThat(badPeriod.stderr()).contains("--backup-every takes a number and a unit");
    }
}
