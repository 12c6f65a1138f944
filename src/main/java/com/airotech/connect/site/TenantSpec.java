package com.airotech.connect.site;

import java.util.List;
import java.util.Objects;

/** A tenant of the site file, keyed by its name. */
public record TenantSpec(String name, List<ConnectorSpec> connectors, List<ConnectionSpec> connections) {
    public TenantSpec {
        Objects.requireNonNull(name, "name");
        connectors = connectors == null ? List.of() : List.copyOf(connectors);
        connections = connections == null ? List.of() : List.copyOf(connections);
    }
}
