package com.airotech.connect.tenant;

import java.time.Instant;

/** A tenant; {@code disabledAt} is set while the operator has disabled it (its tokens and connectors are refused). */
public record Tenant(String tenantId, String name, Instant createdAt, Instant disabledAt) {
    public Tenant(String tenantId, String name, Instant createdAt) { this(tenantId, name, createdAt, null); }

    public boolean disabled() { return disabledAt != null; }
}
