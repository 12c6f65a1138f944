package com.airotech.connect.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {
    @Test
    void savedSettingsReadBackTheSame() throws Exception {
        Path dir = TestGateway.tempDir();
        ConsoleSettings s = new ConsoleSettings("0.0.0.0", 9000, -1, "kafka1:9092,kafka2:9092", List.of("10.0.0.0/8", " fd00::/8 ", ""), "tn_1");
        s.save(dir);
        assertThat(ConsoleSettings.load(dir)).isEqualTo(s);
        assertThat(s.outboundAllowedNetworks()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ConsoleSettings.file(dir)))).isEqualTo("rw-------");
    }

    @Test
    void aDataDirectoryWithoutSettingsHasNone() {
        assertThat(ConsoleSettings.load(TestGateway.tempDir())).isNull();
    }

    @Test
    void invalidValuesAreRefusedWithASentence() {
        assertThatThrownBy(() -> new ConsoleSettings("", 8470, 8471, null, null, null)).hasMessageContaining("bind address");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 70000, 8471, null, null, null)).hasMessageContaining("HTTP port");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, -2, null, null, null)).hasMessageContaining("-1 to turn HTTPS off");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, 8470, null, null, null)).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, 8471, "kafka", null, null)).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, 8471, null, List.of("10.0.0.0/33"), null)).hasMessageContaining("is not a network");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, 8471, null, List.of("300.1.1.1/8"), null)).hasMessageContaining("is not a network");
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 8470, 8471, null, List.of("example.com/8"), null)).hasMessageContaining("is not a network");
    }

    @Test
    void anEmptyKafkaFieldMeansOff() {
        assertThat(new ConsoleSettings("127.0.0.1", 8470, 8471, "  ", null, null).kafkaBootstrap()).isNull();
    }

    @Test
    void applyingKeepsTheDataDirectoryAndClockAndChangesTheListeners() {
        Config base = Config.defaults(Path.of("/tmp/x"));
        Config c = new ConsoleSettings("0.0.0.0", 0, -1, "k:9092", null, null).applyTo(base);
        assertThat(c.dataDir()).isEqualTo(base.dataDir());
        assertThat(c.clock()).isSameAs(base.clock());
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isZero();
        assertThat(c.httpsPort()).isEqualTo(-1);
        assertThat(c.kafkaBootstrap()).isEqualTo("k:9092");
    }

    @Test
    void aBrokenFileIsNamedWithWhatToDo() throws Exception {
        Path dir = TestGateway.tempDir();
        Files.writeString(ConsoleSettings.file(dir), "{\"http_port\": 99999}");
        assertThatThrownBy(() -> ConsoleSettings.load(dir)).hasMessageContaining("settings.json").hasMessageContaining("Fix or delete it");
    }
}
