package com.airotech.connect.site;

import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What import and export need from the outbound connections service, kept small so that the
 * composition root can adapt whichever service provides connections. {@link #NONE} stands in
 * while a build has no connections: their entries are validated and reported as deferred.
 */
public interface SiteConnections {
    /** False when this build cannot create connections. */
    boolean available();

    /** The tenant's connections, as the site file declares them (no material). */
    List<ConnectionSpec> list(Principal tenant);

    /**
     * Creates a connection (status {@code pending} until material or consent arrives) and returns the
     * public part of the answer: {@code connection_id}, {@code status} and, for {@code aws_iam},
     * {@code external_id} and {@code trust_policy}.
     */
    ObjectNode create(Principal tenant, ConnectionSpec spec);

    /**
     * The spec in the form the service stores it (defaults filled in), so a file that leaves a default
     * out still matches what is stored; throws {@code ApiException} (invalid_request) for an entry the
     * service would refuse, so the import refuses the file before applying anything.
     */
    default ConnectionSpec normalize(ConnectionSpec spec) { return spec; }

    /** Null when the connection can be created now; else why not and what to do (the entry is deferred). */
    default String cannotCreate(ConnectionSpec spec) { return null; }

    SiteConnections NONE = new SiteConnections() {
        @Override public boolean available() { return false; }
        @Override public List<ConnectionSpec> list(Principal tenant) { return List.of(); }
        @Override public ObjectNode create(Principal tenant, ConnectionSpec spec) {
            throw new IllegalStateException("This build has no outbound connections.");
        }
    };
}
