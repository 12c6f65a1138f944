package com.airotech.connect.delivery;

import java.util.Locale;
import java.util.Set;

/** Where a subscription sends: a connector's {@code webhook_url}, or a path on one of the tenant's connections. */
public sealed interface Target permits Target.ToConnector, Target.ToConnection {
    /** A connector's webhook URL, signed with the subscription's Standard Webhooks secret. */
    record ToConnector(String connectorId) implements Target {}

    /** A path on an outbound connection, with the connection's own authentication. */
    record ToConnection(String connectionId, String path, String method) implements Target {
        public static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

        public ToConnection {
            method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        }
    }
}
