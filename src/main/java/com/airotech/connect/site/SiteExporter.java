package com.airotech.connect.site;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.tenant.TenantService;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the stored site as a site file: tenants, their active connectors and their connections,
 * never any credential material (the services it reads from hold none in their views).
 */
public final class SiteExporter {
    private final TenantService tenants;
    private final ConnectorService connectors;
    private final SiteConnections connections;

    public SiteExporter(TenantService tenants, ConnectorService connectors, SiteConnections connections) {
        this.tenants = tenants;
        this.connectors = connectors;
        this.connections = connections;
    }

    /** The whole site, or only the tenants named (an unknown name is {@code not_found}). */
    public SiteFile export(List<String> onlyTenants) {
        List<Tenant> all = tenants.list();
        if (onlyTenants != null) {
            for (String name : onlyTenants) {
                if (all.stream().noneMatch(t -> t.name().equals(name))) throw ApiException.notFound("Tenant \"" + name + "\"");
            }
        }
        List<TenantSpec> out = new ArrayList<>();
        for (Tenant t : all) {
            if (onlyTenants != null && !onlyTenants.isEmpty() && !onlyTenants.contains(t.name())) continue;
            Principal p = Principal.local(t.tenantId());
            List<ConnectorSpec> cs = new ArrayList<>();
            for (Connector c : connectors.list(p)) if (c.active()) cs.add(ConnectorSpec.of(c));
            out.add(new TenantSpec(t.name(), cs, connections.available() ? connections.list(p) : List.of()));
        }
        return new SiteFile(out);
    }
}
