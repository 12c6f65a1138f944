package com.airotech.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class DisplayCheckTest {
    private static final Path GTK = Path.of("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0");

    @Test
    void withoutADisplayItSaysWhatToInstallAndThatServeRunsHeadless() {
        String p = DisplayCheck.problem(Map.of(), GTK::equals);
        assertThat(p).contains("DISPLAY is not set").contains("apt-get install libgtk-3-0").contains("airotech-connect serve");
        assertThat(p.lines().count()).isEqualTo(1);
    }

    @Test
    void withoutGtkItNamesThePackage() {
        String p = DisplayCheck.problem(Map.of("DISPLAY", ":0"), x -> false);
        assertThat(p).contains("GTK 3").contains("apt-get install libgtk-3-0").contains("airotech-connect serve");
    }

    @Test
    void gtkIsFoundInTheLibraryPathToo() {
        assertThat(DisplayCheck.problem(Map.of("DISPLAY", ":0", "LD_LIBRARY_PATH", "/opt/gtk/lib"),
                Path.of("/opt/gtk/lib/libgtk-3.so.0")::equals)).isNull();
    }

    @Test
    void aDisplayWithGtkPasses() {
        assertThat(DisplayCheck.problem(Map.of("DISPLAY", ":0"), GTK::equals)).isNull();
    }
}
