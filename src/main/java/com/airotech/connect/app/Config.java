package com.airotech.connect.app;

import com.airotech.connect.gateway.Gateway;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Everything the composition root needs to know, from the command line or the console's settings. */
public record Config(Path dataDir, String bind, int httpPort, int httpsPort, List<String> tlsSans, String kafkaBootstrap,
                     long maxBodyBytes, int writerQueue, Clock clock, Path kafkaProperties, Gateway.Limits limits) {
    public static final int DEFAULT_HTTP_PORT = 8470;
    public static final int DEFAULT_HTTPS_PORT = 8471;
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;

    public Config {
        tlsSans = tlsSans == null ? List.of() : List.copyOf(tlsSans);
        if (clock == null) clock = Clock.systemUTC();
        if (writerQueue <= 0) writerQueue = 8192;
        if (limits == null) limits = Gateway.Limits.DEFAULTS;
    }

    /** Without a Kafka properties file (the common case), with the default HTTP limits. */
    public Config(Path dataDir, String bind, int httpPort, int httpsPort, List<String> tlsSans, String kafkaBootstrap,
                  long maxBodyBytes, int writerQueue, Clock clock) {
        this(dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap, maxBodyBytes, writerQueue, clock, null);
    }

    /** With the default HTTP limits. */
    public Config(Path dataDir, String bind, int httpPort, int httpsPort, List<String> tlsSans, String kafkaBootstrap,
                  long maxBodyBytes, int writerQueue, Clock clock, Path kafkaProperties) {
        this(dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap, maxBodyBytes, writerQueue, clock, kafkaProperties, Gateway.Limits.DEFAULTS);
    }

    /** The data directory when none is given: $XDG_DATA_HOME/airotech-connect, else ~/.local/share/airotech-connect. */
    public static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "airotech-connect");
        return Path.of(System.getProperty("user.home"), ".local", "share", "airotech-connect");
    }

    public static Config defaults(Path dataDir) {
        return new Config(dataDir, "127.0.0.1", DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT, List.of(), null, DEFAULT_MAX_BODY, 8192, Clock.systemUTC(), null);
    }

    public Config withPorts(int http, int https) {
        return new Config(dataDir, bind, http, https, tlsSans, kafkaBootstrap, maxBodyBytes, writerQueue, clock, kafkaProperties, limits);
    }

    public Config withClock(Clock c) {
        return new Config(dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap, maxBodyBytes, writerQueue, c, kafkaProperties, limits);
    }

    public Config withWriterQueue(int q) {
        return new Config(dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap, maxBodyBytes, q, clock, kafkaProperties, limits);
    }

    public Config withLimits(Gateway.Limits l) {
        return new Config(dataDir, bind, httpPort, httpsPort, tlsSans, kafkaBootstrap, maxBodyBytes, writerQueue, clock, kafkaProperties, l);
    }

    /** Kafka on ({@code bootstrap} and/or a client properties file naming {@code bootstrap.servers}) or off (both null). */
    public Config withKafka(String bootstrap, Path properties) {
        return new Config(dataDir, bind, httpPort, httpsPort, tlsSans, bootstrap, maxBodyBytes, writerQueue, clock, properties, limits);
    }
}
