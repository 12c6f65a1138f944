package com.airotech.connect.site;

import java.util.List;

/**
 * A declarative site: the tenants, their connectors and their outbound connections, named so that
 * applying the same file twice changes nothing. It never holds credential material.
 */
public record SiteFile(List<TenantSpec> tenants) {
    public static final String FORMAT = "airotech-site/1";

    public SiteFile {
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }
}
