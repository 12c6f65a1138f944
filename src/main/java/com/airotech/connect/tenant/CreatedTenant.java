package com.airotech.connect.tenant;

import com.airotech.connect.common.Secret;

/** A new tenant and its admin token, shown once. */
public record CreatedTenant(Tenant tenant, Secret adminToken, String actorLabel) {}
