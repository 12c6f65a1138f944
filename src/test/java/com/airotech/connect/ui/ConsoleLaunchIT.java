package com.airotech.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged program with no arguments, where no window can open. */
public class ConsoleLaunchIT {
    @Test
    void withoutADisplayTheJarSaysWhatToInstallAndThatServeRunsHeadless() throws Exception {
        Path jar = Path.of(System.getProperty("airotech.jar", "target/airotech-connect.jar"));
        assertThat(jar).exists();
        Path home = TestGateway.tempDir();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("xdg").toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).isNotZero();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).contains("apt-get install libgtk-3-0").contains("airotech-connect serve");
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        // nothing was created for a console that never opened
        assertThat(Files.exists(home.resolve("xdg"))).isFalse();
    }
}
