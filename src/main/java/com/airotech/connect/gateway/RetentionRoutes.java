package com.airotech.connect.gateway;

import com.airotech.connect.retention.RetentionService;
import com.airotech.connect.tenant.TenantService;
import java.util.List;

/**
 * {@code GET|PUT /api/retention} (API.md §8): the tenant's {@code max_age_days}, with the operator's
 * disk floor and audit retention shown alongside (set only at the gateway's machine).
 */
public final class RetentionRoutes {
    private RetentionRoutes() {}

    public static List<Gateway.Route> of(TenantService tenants, RetentionService retention, long maxBody) {
        return List.of(
                new Gateway.Route("GET", "/api/retention", new AdminEndpoint(tenants, false, maxBody,
                        (ex, p, body) -> Reply.ok(RetentionService.toJson(retention.policy(p.tenantId()))))),
                new Gateway.Route("PUT", "/api/retention", new AdminEndpoint(tenants, true, maxBody,
                        (ex, p, body) -> Reply.ok(RetentionService.toJson(retention.apply(p, body))))));
    }
}
