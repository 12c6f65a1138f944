package com.airotech.connect.site;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The site file's view of the real {@link ConnectionService}: a connection is declared by its name,
 * kind, address and non-secret config, in the normal form the service stores (defaults filled in),
 * so that an exported file re-imports as "unchanged". Creation never carries material.
 */
public final class ServiceConnections implements SiteConnections {
    /** Config the platform adds itself; a site file neither declares nor exports it. */
    private static final Set<String> PLATFORM_FIELDS = Set.of("platform_principal");

    private final ConnectionService service;
    private String awsProblem;
    private boolean awsChecked;

    public ServiceConnections(ConnectionService service) { this.service = service; }

    @Override public boolean available() { return true; }

    @Override
    public List<ConnectionSpec> list(Principal tenant) {
        return service.list(tenant).stream().map(ServiceConnections::declared).toList();
    }

    @Override
    public ConnectionSpec normalize(ConnectionSpec spec) {
        NewConnection n = toNew(spec);
        return new ConnectionSpec(n.name(), n.kind().wire(), n.baseUrl(), nullIfEmpty(n.config().toJson()), n.probePath());
    }

    @Override
    public String cannotCreate(ConnectionSpec spec) {
        if (!"aws_iam".equals(spec.kind())) return null;
        // asked once per import: without a configured principal it may ask AWS who the platform is
        synchronized (this) {
            if (!awsChecked) {
                awsProblem = service.awsIamUnavailableReason();
                awsChecked = true;
            }
            return awsProblem;
        }
    }

    @Override
    public ObjectNode create(Principal tenant, ConnectionSpec spec) {
        ConnectionService.Created created = service.create(tenant, toNew(spec));
        ObjectNode all = com.airotech.connect.wire.ConnectionJson.connection(created.connection());
        ObjectNode out = Json.object();
        for (String f : List.of("connection_id", "status", "detail", "external_id", "trust_policy")) {
            if (all.hasNonNull(f)) out.set(f, all.get(f));
        }
        if (created.trustPolicy() != null) out.set("trust_policy", created.trustPolicy());
        return out;
    }

    private static NewConnection toNew(ConnectionSpec spec) {
        return new NewConnection(spec.name(), ConnectionKind.fromWire(spec.kind()), spec.baseUrl(), spec.config(), spec.probePath());
    }

    private static ConnectionSpec declared(Connection c) {
        ObjectNode config = c.config().toJson();
        config.remove(PLATFORM_FIELDS);
        return new ConnectionSpec(c.name(), c.kind().wire(), c.baseUrl(), nullIfEmpty(config), c.probePath());
    }

    private static ObjectNode nullIfEmpty(JsonNode config) {
        return config == null || config.isEmpty() ? null : (ObjectNode) config;
    }
}
