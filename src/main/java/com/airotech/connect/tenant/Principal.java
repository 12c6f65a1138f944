package com.airotech.connect.tenant;

import java.util.Objects;

/**
 * Who is acting, and for which tenant. Built only from an authenticated credential (an admin
 * token, a connector credential) or from the local command line; never from a request's words.
 */
public record Principal(String tenantId, String actor) {
    public Principal {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(actor, "actor");
    }

    /** The operator at this machine's command line or console, acting on a tenant they named. */
    public static Principal local(String tenantId) {
        return new Principal(tenantId, localActor());
    }

    public static String localActor() {
        String user = System.getProperty("user.name", "unknown");
        return "os:" + user;
    }
}
