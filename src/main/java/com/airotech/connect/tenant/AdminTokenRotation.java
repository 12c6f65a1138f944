package com.airotech.connect.tenant;

import com.airotech.connect.common.Secret;
import java.time.Instant;

/** A new admin token (shown once) and until when the previous one still authenticates. */
public record AdminTokenRotation(String tenantId, Secret adminToken, String actorLabel, Instant previousValidUntil) {}
