package com.airotech.connect.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    @Test
    void kafkaIsOffWithoutBootstrapOrPropertiesFile() {
        assertThat(KafkaSettings.from(null, null)).isEmpty();
        assertThat(KafkaSettings.from("  ", null)).isEmpty();
    }

    @Test
    void propertiesPassStraightToTheClientsWhileTopicLayoutKeysAreKeptBack() throws Exception {
        Path f = Files.createTempFile("kafka", ".properties");
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"pw-" + System.nanoTime() + "\";";
        Files.writeString(f, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=" + jaas.replace("\"", "\\\"") + "\n"
                + "airotech.topic.partitions=6\nairotech.topic.replication.factor=3\n");
        KafkaSettings s = KafkaSettings.from("broker-1:9093", f).orElseThrow();
        assertThat(s.clientProperties()).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", jaas)
                .doesNotContainKeys(KafkaSettings.PARTITIONS, KafkaSettings.REPLICATION);
        assertThat(s.partitions()).contains(6);
        assertThat(s.replicationFactor()).contains((short) 3);
        assertThat(s.toString()).contains("sasl.jaas.config").doesNotContain("pw-");
    }

    @Test
    void aPropertiesFileNamingBootstrapServersTurnsKafkaOnAndTopicLayoutDefaultsToTheBrokers() throws Exception {
        Path f = Files.createTempFile("kafka", ".properties");
        Files.writeString(f, "bootstrap.servers=127.0.0.1:9092\n");
        KafkaSettings s = KafkaSettings.from(null, f).orElseThrow();
        assertThat(s.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(s.partitions()).isEmpty();
        assertThat(s.replicationFactor()).isEmpty();
    }

    @Test
    void aBadTopicLayoutOrMissingFileIsExplainedToTheOperator() throws Exception {
        Path f = Files.createTempFile("kafka", ".properties");
        Files.writeString(f, "airotech.topic.partitions=zero\n");
        assertThatThrownBy(() -> KafkaSettings.from("h:1", f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("airotech.topic.partitions must be a positive integer");
        assertThatThrownBy(() -> KafkaSettings.from("h:1", f.resolveSibling("missing-" + System.nanoTime())))
                .hasMessageContaining("does not exist");
    }
}
