package com.airotech.connect.wire;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.tenant.AdminTokenRotation;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The answer to rotating an admin token (API.md §8), from {@code POST /api/admin-token/rotate} and {@code airotech-connect admin-token rotate}. */
public final class AdminTokenAnswers {
    private AdminTokenAnswers() {}

    /** The new token, shown this once. */
    public static ObjectNode rotated(AdminTokenRotation r) {
        return Json.object().put("tenant_id", r.tenantId()).put("admin_token", r.adminToken().utf8())
                .put("actor", r.actorLabel()).put("previous_valid_until", Times.format(r.previousValidUntil()));
    }
}
