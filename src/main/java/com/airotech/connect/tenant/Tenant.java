package com.airotech.connect.tenant;

import java.time.Instant;

public record Tenant(String tenantId, String name, Instant createdAt) {}
