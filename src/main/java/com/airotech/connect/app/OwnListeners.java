package com.airotech.connect.app;

import com.airotech.connect.gateway.Gateway;
import com.airotech.connect.store.DataDirectory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sockets a gateway of this data directory listens on, which no outbound connection may reach:
 * this process's gateway, the one serving the directory from another process (the command line
 * beside a running gateway), and the configured ports as well.
 */
final class OwnListeners implements Supplier<List<InetSocketAddress>> {
    private final Config config;
    private final DataDirectory dir;
    private final Supplier<Gateway> running;

    /** @param running this process's gateway or null; read without the platform's lock (calls in flight ask while it closes) */
    OwnListeners(Config config, DataDirectory dir, Supplier<Gateway> running) {
        this.config = config;
        this.dir = dir;
        this.running = running;
    }

    @Override
    public List<InetSocketAddress> get() {
        List<InetSocketAddress> out = new ArrayList<>();
        Gateway g = running.get();
        if (g != null) {
            out.add(listener(config.bind(), g.httpPort()));
            out.add(listener(config.bind(), g.httpsPort()));
        }
        dir.runningGateway().ifPresent(r -> out.add(listener(r.bind(), r.httpPort())));
        out.add(listener(config.bind(), config.httpPort()));
        out.add(listener(config.bind(), config.httpsPort()));
        out.removeIf(a -> a.getPort() <= 0);
        return out;
    }

    private static InetSocketAddress listener(String bind, int port) {
        // the bind option is an address literal, so no DNS is asked
        return new InetSocketAddress(bind == null || bind.isBlank() ? "0.0.0.0" : bind, Math.max(port, 0));
    }
}
