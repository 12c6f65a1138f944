package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.AdminTokenRotation;
import com.airotech.connect.tenant.TenantService;
import com.airotech.connect.wire.AdminTokenAnswers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The tenant's own admin token (API.md §8): {@code POST /api/admin-token/rotate} answers the new
 * {@code admin_token} once and {@code previous_valid_until}; {@code DELETE /api/admin-token} ends
 * every token of the tenant at once (the caller's too: the operator then issues a new one with
 * {@code airotech-connect admin-token rotate} or in the console).
 */
public final class AdminTokenRoutes {
    private AdminTokenRoutes() {}

    public static List<Gateway.Route> of(TenantService tenants, long maxBody) {
        return List.of(
                new Gateway.Route("POST", "/api/admin-token/rotate", new AdminEndpoint(tenants, false, maxBody, (ex, p, none) -> {
                    ObjectNode body = Gateway.optionalBody(ex, maxBody);
                    Integer grace = null;
                    if (body != null) {
                        JsonNode g = body.get("grace_seconds");
                        if (g != null && !g.isNull()) {
                            if (!g.isIntegralNumber() || !g.canConvertToInt()) throw ApiException.invalidRequest("Field 'grace_seconds' must be an integer.");
                            grace = g.asInt();
                        }
                    }
                    AdminTokenRotation r = tenants.rotateAdminToken(p.tenantId(), grace, p.actor());
                    return Reply.ok(AdminTokenAnswers.rotated(r));
                })),
                new Gateway.Route("DELETE", "/api/admin-token", new AdminEndpoint(tenants, false, maxBody, (ex, p, none) -> {
                    int ended = tenants.revokeAdminTokens(p.tenantId(), p.actor());
                    return Reply.ok(Json.object().put("tenant_id", p.tenantId()).put("revoked", ended));
                })));
    }
}
