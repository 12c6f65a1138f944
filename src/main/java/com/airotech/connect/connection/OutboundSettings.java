package com.airotech.connect.connection;

import java.util.Objects;

/** A tenant's outbound settings: where new connections keep their material, and the address policy. */
public record OutboundSettings(String tenantId, String secretBackend, String awsRegion, AddressPolicy policy) {
    public OutboundSettings {
        Objects.requireNonNull(tenantId);
        if (secretBackend == null) secretBackend = "local";
        if (!secretBackend.equals("local") && !secretBackend.equals("aws")) throw new IllegalArgumentException("secret backend is local or aws");
        Objects.requireNonNull(policy);
    }

    static OutboundSettings defaults(String tenantId) { return new OutboundSettings(tenantId, "local", null, AddressPolicy.defaults()); }

    public OutboundSettings withPolicy(AddressPolicy p) { return new OutboundSettings(tenantId, secretBackend, awsRegion, p); }

    public OutboundSettings withBackend(String backend, String region) { return new OutboundSettings(tenantId, backend, region, policy); }
}
