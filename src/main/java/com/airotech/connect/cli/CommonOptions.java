package com.airotech.connect.cli;

import com.airotech.connect.app.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options accepted after any subcommand (API.md §1). */
public final class CommonOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $XDG_DATA_HOME/airotech-connect or ~/.local/share/airotech-connect).")
    Path dataDir;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (default ${DEFAULT-VALUE}; 0 = a free port).", defaultValue = "8470")
    int httpPort;

    @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port, client certificates requested (default ${DEFAULT-VALUE}; 0 = a free port; -1 = off).", defaultValue = "8471")
    int httpsPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--tls-san", paramLabel = "NAME", description = "Extra name on the HTTPS certificate (repeatable).")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (off by default).")
    String kafkaBootstrap;

    @Option(names = "--kafka-properties", paramLabel = "FILE", description = "Kafka client properties (SASL, SSL, bootstrap.servers …) passed straight to the clients; airotech.topic.partitions / airotech.topic.replication.factor set new topics' layout.")
    Path kafkaProperties;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest accepted request body (default ${DEFAULT-VALUE}).", defaultValue = "1048576")
    long maxBodyBytes;

    /**
     * For commands that read or change what is already there: a data directory that does not exist
     * is a mistyped {@code --data-dir} (or the wrong user), not a new site to create silently.
     */
    public Config existingConfig() {
        Config c = toConfig();
        if (!java.nio.file.Files.isDirectory(c.dataDir())) {
            throw new IllegalStateException("There is no data directory at " + c.dataDir() + ": nothing has been set up there. "
                    + "Check --data-dir (a running gateway prints its own in its listening line) and the user you run as, "
                    + "or start a new site with: airotech-connect tenant create NAME");
        }
        return c;
    }

    public Config toConfig() {
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("--http-port must be 0-65535.");
        if (httpsPort < -1 || httpsPort > 65535) throw new IllegalArgumentException("--https-port must be -1 (off) or 0-65535.");
        tlsSans.forEach(com.airotech.connect.pki.LocalCa::validSan);
        if (maxBodyBytes < 1024 || maxBodyBytes > 64L * 1024 * 1024) throw new IllegalArgumentException("--max-body-bytes must be between 1024 and 67108864.");
        return new Config(dataDir == null ? Config.defaultDataDir() : dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap,
                maxBodyBytes, 8192, null, kafkaProperties);
    }
}
