package com.airotech.connect.secret;

import java.util.Objects;

/** One version of one connection's material in a tenant's secret store. */
public record SecretRef(String tenantId, String connectionId, int version) {
    public SecretRef {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(connectionId, "connectionId");
        if (version < 1) throw new IllegalArgumentException("version must be positive");
    }

    /** Associated data binding sealed material to exactly this tenant, connection and version. */
    public String associatedData() {
        return "connection-secret\n" + tenantId + "\n" + connectionId + "\n" + version;
    }
}
