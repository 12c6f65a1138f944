package com.airotech.connect.bus;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach Kafka: the bootstrap servers and, from an optional properties file, client settings
 * passed straight to the producer and admin clients (SASL, SSL, timeouts). Keys starting with
 * {@code airotech.} are ours: {@code airotech.topic.partitions} and
 * {@code airotech.topic.replication.factor} for topics the relay creates (default: the broker's
 * defaults). Not a record: the client properties may hold passwords, and {@link #toString} never
 * prints their values.
 */
public final class KafkaSettings {
    public static final String PARTITIONS = "airotech.topic.partitions";
    public static final String REPLICATION = "airotech.topic.replication.factor";

    private final String bootstrap;
    private final Map<String, String> client;
    private final Optional<Integer> partitions;
    private final Optional<Short> replication;

    private KafkaSettings(String bootstrap, Map<String, String> client, Optional<Integer> partitions, Optional<Short> replication) {
        this.bootstrap = bootstrap;
        this.client = Map.copyOf(client);
        this.partitions = partitions;
        this.replication = replication;
    }

    /**
     * The settings from the command line: empty when Kafka is off (neither a bootstrap nor a
     * properties file naming {@code bootstrap.servers}).
     */
    public static Optional<KafkaSettings> from(String bootstrap, Path propertiesFile) {
        Map<String, String> props = new TreeMap<>();
        if (propertiesFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("The Kafka properties file " + propertiesFile + " does not exist. Check the path given to --kafka-properties.");
            } catch (IOException e) {
                throw new IllegalArgumentException("The Kafka properties file " + propertiesFile + " cannot be read (" + e.getClass().getSimpleName() + "). Check its permissions.");
            }
            for (String k : p.stringPropertyNames()) props.put(k, p.getProperty(k));
        }
        if (bootstrap != null && !bootstrap.isBlank()) props.put("bootstrap.servers", bootstrap.trim());
        String servers = props.get("bootstrap.servers");
        if (servers == null || servers.isBlank()) return Optional.empty();
        Optional<Integer> partitions = Optional.ofNullable(props.remove(PARTITIONS)).map(v -> positive(v, PARTITIONS));
        Optional<Short> replication = Optional.ofNullable(props.remove(REPLICATION)).map(v -> (short) (int) positive(v, REPLICATION));
        props.keySet().removeIf(k -> k.startsWith("airotech."));
        return Optional.of(new KafkaSettings(servers, props, partitions, replication));
    }

    private static int positive(String v, String key) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0 && n <= Short.MAX_VALUE) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a positive integer; fix it in the Kafka properties file.");
    }

    public String bootstrap() { return bootstrap; }
    public Optional<Integer> partitions() { return partitions; }
    public Optional<Short> replicationFactor() { return replication; }

    /** The client properties, including {@code bootstrap.servers}, for a producer or admin client. */
    public Map<String, Object> clientProperties() { return new TreeMap<>(client); }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrap=" + bootstrap + ", keys=" + client.keySet() + ", partitions=" + partitions + ", replication=" + replication + "]";
    }
}
