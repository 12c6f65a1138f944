package com.airotech.connect.ui.backups;

import com.airotech.connect.backup.SiteBackup;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.Problems;
import com.airotech.connect.ui.common.ScreenController;
import java.nio.file.Path;
import java.time.LocalDate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;

/**
 * Back up the running site into one file, and restore a backup into a new, empty folder, each in
 * a background {@link Task} with its progress; the restored site is started by the operator.
 */
public final class BackupsController implements ScreenController {
    private final ConsoleContext ctx;
    private final BooleanProperty busy = new SimpleBooleanProperty();

    @FXML private Label dataDirLabel;
    @FXML private TextField backupFileField;
    @FXML private ProgressBar backupProgress;
    @FXML private Label backupStatus;
    @FXML private Button backupButton;
    @FXML private Label backupError;
    @FXML private TextField restoreFileField;
    @FXML private TextField restoreDirField;
    @FXML private ProgressBar restoreProgress;
    @FXML private Label restoreStatus;
    @FXML private Button restoreButton;
    @FXML private Label restoreError;
    @FXML private Label restoreNext;

    public BackupsController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        backupButton.disableProperty().bind(backupFileField.textProperty().isEmpty().or(busy));
        restoreButton.disableProperty().bind(restoreFileField.textProperty().isEmpty().or(restoreDirField.textProperty().isEmpty()).or(busy));
        // what is empty or hidden takes no room
        for (ProgressBar b : new ProgressBar[] {backupProgress, restoreProgress}) b.managedProperty().bind(b.visibleProperty());
        for (Label l : new Label[] {backupStatus, backupError, restoreStatus, restoreError, restoreNext}) l.managedProperty().bind(l.textProperty().isNotEmpty());
    }

    @Override
    public void shown() {
        dataDirLabel.setText(ctx.dataDir().toString());
    }

    static String suggestedName() { return "airotech-backup-" + LocalDate.now() + ".zip"; }

    @FXML
    private void chooseBackupFile() {
        Path p = ctx.files().save(ctx.window(), "Back up the site to", suggestedName());
        if (p != null) backupFileField.setText(p.toString());
    }

    @FXML
    private void chooseRestoreFile() {
        Path p = ctx.files().open(ctx.window(), "The backup to restore");
        if (p != null) restoreFileField.setText(p.toString());
    }

    @FXML
    private void chooseRestoreDir() {
        Path p = ctx.files().directory(ctx.window(), "An empty folder for the restored site");
        if (p != null) restoreDirField.setText(p.toString());
    }

    @FXML
    private void backUp() {
        Path target = Path.of(backupFileField.getText().strip());
        var dir = ctx.platform().dataDirectory();
        SiteBackup backups = new SiteBackup(ctx.clock());
        Task<SiteBackup.Written> task = new Task<>() {
            @Override
            protected SiteBackup.Written call() {
                updateTitle("Backing up the site");
                return backups.create(dir, target, (step, done, total) -> {
                    updateMessage(step);
                    if (total > 0) updateProgress(done, total); else updateProgress(-1, 1);
                });
            }
        };
        run(task, backupProgress, backupStatus, backupError, w -> {
            backupStatus.setText("Backed up to " + w.file() + " (" + Formats.bytes(w.bytes()) + ", database schema " + w.manifest().schema()
                    + ", " + seconds(w.took()) + "). Keep it on another disk.");
            ctx.notifySuccess("Backup written: " + w.file().getFileName());
        });
    }

    @FXML
    private void restore() {
        Path source = Path.of(restoreFileField.getText().strip());
        Path target = Path.of(restoreDirField.getText().strip());
        restoreNext.setText("");
        SiteBackup backups = new SiteBackup(ctx.clock());
        Task<SiteBackup.Restored> task = new Task<>() {
            @Override
            protected SiteBackup.Restored call() {
                updateTitle("Restoring a backup");
                return backups.restore(source, target, (step, done, total) -> {
                    updateMessage(step);
                    if (total > 0) updateProgress(done, total); else updateProgress(-1, 1);
                });
            }
        };
        run(task, restoreProgress, restoreStatus, restoreError, r -> {
            restoreStatus.setText("Restored and checked: the site as it was at " + Formats.time(r.manifest().createdAt()) + " (schema "
                    + r.manifest().schema() + "). This console still runs on " + ctx.dataDir() + ".");
            restoreNext.setText("To work on the restored site, close this console and start it on that folder:\n"
                    + "  airotech-connect console --data-dir " + r.dataDir() + "\nor the headless gateway:\n  airotech-connect serve --data-dir " + r.dataDir());
            ctx.notifySuccess("Backup restored into " + r.dataDir());
        });
    }

    private <T> void run(Task<T> task, ProgressBar bar, Label status, Label error, java.util.function.Consumer<T> done) {
        busy.set(true);
        error.setText("");
        status.textProperty().bind(task.messageProperty());
        bar.progressProperty().bind(task.progressProperty());
        bar.setVisible(true);
        task.setOnSucceeded(e -> {
            finish(bar, status);
            done.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            finish(bar, status);
            status.setText("");
            error.setText(Problems.describe(task.getException()));
        });
        ctx.background().runVisible(task);
    }

    private void finish(ProgressBar bar, Label status) {
        busy.set(false);
        status.textProperty().unbind();
        bar.progressProperty().unbind();
        bar.setVisible(false);
    }

    private static String seconds(java.time.Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
