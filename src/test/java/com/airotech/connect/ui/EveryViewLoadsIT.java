package com.airotech.connect.ui;

import com.airotech.connect.ui.common.FxmlView;
import com.airotech.connect.ui.common.Screen;
import com.airotech.connect.ui.common.ViewLoader;

import static com.airotech.connect.ui.ConsoleFixture.fx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
public class EveryViewLoadsIT {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) { console = new ConsoleFixture(stage); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void everyFxmlFileIsListedAndLoadsWithItsController() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("fxml"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".fxml")).collect(Collectors.toSet()))
                    .isEqualTo(Arrays.stream(FxmlView.values()).map(v -> v.resource().substring("/fxml/".length())).collect(Collectors.toSet()));
        }
        for (FxmlView v : FxmlView.values()) {
            ViewLoader.Loaded<Object> loaded = fx(() -> new ViewLoader(console.ctx()).load(v));
            assertThat(loaded.root()).as(v.name()).isNotNull();
            assertThat(loaded.controller()).as(v.name()).isNotNull();
        }
    }

    @Test
    void everyScreenInTheSidebarOpens() {
        for (Screen s : Screen.values()) {
            fx(() -> {
                console.ctx().screen().set(s);
                return null;
            });
            assertThat(fx(() -> console.window.main().controller(s))).isNotNull();
        }
    }
}
