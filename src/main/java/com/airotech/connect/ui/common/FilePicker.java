package com.airotech.connect.ui.common;

import java.io.File;
import java.nio.file.Path;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Where the operator saves a file (a private key, a PKCS#12 bundle, the CA certificate) or which
 * file is loaded (a public key, a CSR). The console asks the system's file dialogs; tests answer
 * with a path of their own, since no native dialog exists headless.
 */
public interface FilePicker {
    /** The file to write, or null when the operator cancelled. */
    Path save(Window owner, String title, String suggestedName);

    /** The file to read, or null when the operator cancelled. */
    Path open(Window owner, String title);

    /** A folder (to restore a backup into), or null when the operator cancelled. */
    default Path directory(Window owner, String title) {
        javafx.stage.DirectoryChooser c = new javafx.stage.DirectoryChooser();
        c.setTitle(title);
        File f = c.showDialog(owner);
        return f == null ? null : f.toPath();
    }

    /** The system's file dialogs. */
    FilePicker SYSTEM = new FilePicker() {
        @Override
        public Path save(Window owner, String title, String suggestedName) {
            FileChooser c = new FileChooser();
            c.setTitle(title);
            c.setInitialFileName(suggestedName);
            File f = c.showSaveDialog(owner);
            return f == null ? null : f.toPath();
        }

        @Override
        public Path open(Window owner, String title) {
            FileChooser c = new FileChooser();
            c.setTitle(title);
            File f = c.showOpenDialog(owner);
            return f == null ? null : f.toPath();
        }
    };
}
