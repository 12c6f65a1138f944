package com.airotech.connect.app;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the console lets an operator change about the gateway, kept in {@code settings.json} in the
 * data directory: listener ports and address, the Kafka bootstrap servers, the networks outbound
 * connections may reach, and the tenant the console last worked on. Validated here, so a file
 * edited by hand is refused with a sentence rather than half applied.
 */
public record ConsoleSettings(String bind, int httpPort, int httpsPort, String kafkaBootstrap,
                              List<String> outboundAllowedNetworks, String activeTenantId, String kafkaProperties) {
    public static final String FILE_NAME = "settings.json";
    private static final Pattern HOST_PORT = Pattern.compile("^[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}$");
    private static final Pattern HOST_NAME = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.\\-]{0,252})$");

    public ConsoleSettings {
        bind = bind == null ? "" : bind.strip();
        if (bind.isEmpty() || !(isIpLiteral(bind) || HOST_NAME.matcher(bind).matches())) {
            throw new IllegalArgumentException("The bind address must be an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).");
        }
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("The HTTP port must be between 0 and 65535 (0 picks a free port).");
        if (httpsPort < -1 || httpsPort > 65535) throw new IllegalArgumentException("The HTTPS port must be between 0 and 65535, or -1 to turn HTTPS off.");
        if (httpPort != 0 && httpPort == httpsPort) throw new IllegalArgumentException("The HTTP and HTTPS ports must differ.");
        if (kafkaBootstrap != null) {
            kafkaBootstrap = kafkaBootstrap.strip();
            if (kafkaBootstrap.isEmpty()) {
                kafkaBootstrap = null;
            } else {
                for (String hp : kafkaBootstrap.split(",")) {
                    if (!HOST_PORT.matcher(hp.strip()).matches()) {
                        throw new IllegalArgumentException("Kafka bootstrap servers are HOST:PORT pairs separated by commas, such as kafka1:9092,kafka2:9092.");
                    }
                }
            }
        }
        List<String> nets = new ArrayList<>();
        if (outboundAllowedNetworks != null) {
            for (String n : outboundAllowedNetworks) {
                if (n == null || n.isBlank()) continue;
                String cidr = n.strip();
                if (!isCidr(cidr)) {
                    throw new IllegalArgumentException("'" + cidr + "' is not a network: write one per line as an address with a prefix length, such as 10.20.0.0/16 or fd00::/8.");
                }
                nets.add(cidr);
            }
        }
        outboundAllowedNetworks = List.copyOf(nets);
        if (activeTenantId != null && activeTenantId.isBlank()) activeTenantId = null;
        if (kafkaProperties != null) {
            kafkaProperties = kafkaProperties.strip();
            if (kafkaProperties.isEmpty()) {
                kafkaProperties = null;
            } else if (kafkaProperties.indexOf('\0') >= 0 || kafkaProperties.length() > 4096) {
                throw new IllegalArgumentException("The Kafka properties file must be a path to a .properties file.");
            }
        }
    }

    /** Settings without a Kafka client properties file. */
    public ConsoleSettings(String bind, int httpPort, int httpsPort, String kafkaBootstrap, List<String> outboundAllowedNetworks, String activeTenantId) {
        this(bind, httpPort, httpsPort, kafkaBootstrap, outboundAllowedNetworks, activeTenantId, null);
    }

    /** The settings a fresh data directory starts with, taken from the command line's configuration. */
    public static ConsoleSettings from(Config c) {
        return new ConsoleSettings(c.bind(), c.httpPort(), c.httpsPort(), c.kafkaBootstrap(), List.of(), null,
                c.kafkaProperties() == null ? null : c.kafkaProperties().toString());
    }

    public ConsoleSettings withActiveTenant(String tenantId) {
        return new ConsoleSettings(bind, httpPort, httpsPort, kafkaBootstrap, outboundAllowedNetworks, tenantId, kafkaProperties);
    }

    /** True when applying these instead of {@code other} needs the gateway restarted. */
    public boolean needsRestartComparedTo(ConsoleSettings other) {
        return !(bind.equals(other.bind) && httpPort == other.httpPort && httpsPort == other.httpsPort
                && java.util.Objects.equals(kafkaBootstrap, other.kafkaBootstrap)
                && java.util.Objects.equals(kafkaProperties, other.kafkaProperties)
                && outboundAllowedNetworks.equals(other.outboundAllowedNetworks));
    }

    /** The configuration the platform runs with under these settings. */
    public Config applyTo(Config base) {
        return new Config(base.dataDir(), bind, httpPort, httpsPort, base.tlsSans(), kafkaBootstrap, base.maxBodyBytes(),
                base.writerQueue(), base.clock(), kafkaProperties == null ? null : Path.of(kafkaProperties));
    }

    public static Path file(Path dataDir) { return dataDir.resolve(FILE_NAME); }

    /** The saved settings, or null when the data directory has none yet. */
    public static ConsoleSettings load(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) return null;
        try {
            JsonNode n = Json.tree(Files.readAllBytes(f));
            List<String> nets = new ArrayList<>();
            JsonNode a = n.get("outbound_allowed_networks");
            if (a != null && a.isArray()) a.forEach(x -> nets.add(x.asText()));
            return new ConsoleSettings(text(n, "bind", "127.0.0.1"), n.path("http_port").asInt(Config.DEFAULT_HTTP_PORT),
                    n.path("https_port").asInt(Config.DEFAULT_HTTPS_PORT), text(n, "kafka_bootstrap", null), nets,
                    text(n, "active_tenant_id", null), text(n, "kafka_properties", null));
        } catch (IOException | RuntimeException e) {
            throw new StorageException("The settings file " + f + " cannot be read (" + e.getMessage()
                    + "). Fix or delete it; the console then starts with the defaults.", e);
        }
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    public void save(Path dataDir) {
        ObjectNode o = Json.object().put("bind", bind).put("http_port", httpPort).put("https_port", httpsPort);
        if (kafkaBootstrap == null) o.putNull("kafka_bootstrap"); else o.put("kafka_bootstrap", kafkaBootstrap);
        ArrayNode a = o.putArray("outbound_allowed_networks");
        outboundAllowedNetworks.forEach(a::add);
        if (activeTenantId == null) o.putNull("active_tenant_id"); else o.put("active_tenant_id", activeTenantId);
        if (kafkaProperties == null) o.putNull("kafka_properties"); else o.put("kafka_properties", kafkaProperties);
        try {
            DataDirectory.writeKeyFile(file(dataDir), (o.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StorageException("The settings cannot be saved to " + file(dataDir) + " (" + e.getClass().getSimpleName()
                    + "). Check that the data directory is writable.", e);
        }
    }

    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

    static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) return true;
        if (!s.contains(":") || !s.matches("^[0-9A-Fa-f:.]+$")) return false;
        try {
            // in brackets the JDK parses an IPv6 literal and never looks a name up
            return InetAddress.getByName("[" + s + "]") instanceof java.net.Inet6Address;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0) return false;
        String addr = s.substring(0, slash);
        String len = s.substring(slash + 1);
        if (!isIpLiteral(addr) || !len.matches("^\\d{1,3}$")) return false;
        int max = addr.contains(":") ? 128 : 32;
        return Integer.parseInt(len) <= max;
    }
}
