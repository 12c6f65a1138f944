package com.airotech.connect.ui.backups;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static com.airotech.connect.ui.ConsoleFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.ui.ConsoleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Backups screen: a backup of the running site, then a restore of it into an empty folder, with what to do next. */
@ExtendWith(ApplicationExtension.class)
public class BackupsScreenIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    private static String label(FxRobot robot, String id) { return fx(() -> robot.lookup(id).queryAs(Label.class).getText()); }

    @Test
    void theOperatorBacksUpTheRunningSiteAndRestoresItIntoAnEmptyFolder(FxRobot robot) throws Exception {
        console.port();
        console.tenant("acme");
        robot.clickOn("#nav-backups");
        waitUntil(() -> label(robot, "#backupDataDir").equals(console.dataDir.toAbsolutePath().toString()));
        robot.clickOn("#chooseBackupFile");
        String file = fx(() -> robot.lookup("#backupFile").queryAs(TextField.class).getText());
        assertThat(file).endsWith(".zip");
        robot.clickOn("#backupNow");
        waitUntil(() -> label(robot, "#backupStatus").startsWith("Backed up to"));
        Path backup = Path.of(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");

        Path target = TestGateway.tempDir().resolve("restored");
        console.nextOpen = backup;
        console.nextDirectory = target;
        robot.clickOn("#chooseRestoreFile");
        robot.clickOn("#chooseRestoreDir");
        robot.clickOn("#restoreNow");
        waitUntil(() -> label(robot, "#restoreNext").contains("--data-dir " + target));
        assertThat(label(robot, "#restoreStatus")).startsWith("Restored and checked");
        try (Platform p = Platform.open(Config.defaults(target))) {
            assertThat(p.tenants().list()).extracting(t -> t.name()).containsExactly("acme");
        }
    }

    @Test
    void aRestoreIntoAFolderThatIsNotEmptyIsRefusedBesideTheForm(FxRobot robot) throws Exception {
        console.port();
        console.tenant("acme");
        robot.clickOn("#nav-backups");
        robot.clickOn("#chooseBackupFile");
        robot.clickOn("#backupNow");
        waitUntil(() -> label(robot, "#backupStatus").startsWith("Backed up to"));
        String file = fx(() -> robot.lookup("#backupFile").queryAs(TextField.class).getText());

        Path busy = Files.createDirectories(TestGateway.tempDir().resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "mine");
        console.nextOpen = Path.of(file);
        console.nextDirectory = busy;
        robot.clickOn("#chooseRestoreFile");
        robot.clickOn("#chooseRestoreDir");
        robot.clickOn("#restoreNow");
        waitUntil(() -> label(robot, "#restoreError").contains("is not empty"));
        assertThat(label(robot, "#restoreNext")).isEmpty();
        try (var files = Files.list(busy)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }
}
