package com.airotech.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

public class JavafxStaysInUiTest {
    @Test
    void onlyTheUiPackageImportsJavafx() throws IOException {
        Path root = Path.of("src/main/java/com/airotech/connect");
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !root.relativize(p).startsWith("ui"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).matches("(?s).*\\bimport\\s+(static\\s+)?javafx\\..*");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
