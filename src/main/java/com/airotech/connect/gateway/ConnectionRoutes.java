package com.airotech.connect.gateway;

import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.tenant.TenantService;
import java.util.List;

/** The outbound-connection routes, for the composition root to add to the gateway's extra routes. */
public final class ConnectionRoutes {
    private ConnectionRoutes() {}

    public static List<Gateway.Route> of(TenantService tenants, ConnectionService connections, long maxBody) {
        return ConnectionsResource.routes(tenants, connections, maxBody);
    }
}
