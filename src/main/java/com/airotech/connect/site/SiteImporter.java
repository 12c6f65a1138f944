package com.airotech.connect.site;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.tenant.TenantService;
import com.airotech.connect.wire.Reveal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a site file: tenants keyed by name, connectors by system name within their tenant,
 * connections by name. It first plans every step against what is stored and refuses the whole file
 * on any conflict, then applies; what already matches is left alone, so a second run changes
 * nothing. Credentials it mints (admin tokens, connector credentials) appear once, in the report.
 */
public final class SiteImporter {
    private static final Logger log = LoggerFactory.getLogger(SiteImporter.class);
    /** The field an {@code invalid_request} message names, e.g. {@code Field 'config.region'}. */
    private static final Pattern FIELD_IN_MESSAGE = Pattern.compile("Field '([a-z_.]+)'");

    private final TenantService tenants;
    private final ConnectorService connectors;
    private final SiteConnections connections;

    public SiteImporter(TenantService tenants, ConnectorService connectors, SiteConnections connections) {
        this.tenants = tenants;
        this.connectors = connectors;
        this.connections = connections;
    }

    /** Thrown when storage fails part-way: {@code report} holds what was applied (and minted) before. */
    public static final class PartiallyApplied extends RuntimeException {
        private final transient ObjectNode report;

        PartiallyApplied(ObjectNode report, RuntimeException cause) {
            super("The import stopped part-way: " + cause.getMessage()
                    + " What was applied is printed; fix the cause and run the same import again to finish (it is idempotent).", cause);
            this.report = report;
        }

        public ObjectNode report() { return report; }
    }

    private sealed interface Step permits NewTenant, NewConnector, UpdateConnector, NewConnection, Note {}
    private record NewTenant(TenantSpec spec) implements Step {}
    private record NewConnector(String tenantName, ConnectorSpec spec) implements Step {}
    private record UpdateConnector(String tenantName, Connector existing, ConnectorSpec spec) implements Step {}
    private record NewConnection(String tenantName, ConnectionSpec spec) implements Step {}
    /** Nothing to do; {@code entry} is what the report says about it. */
    private record Note(String section, ObjectNode entry) implements Step {}

    /**
     * Plans, then (unless {@code dryRun}) applies the site. {@code locate} turns a JSON pointer into the
     * file place of a conflict; {@code actorLabel} labels the admin tokens of created tenants (null = default).
     */
    public ObjectNode apply(SiteFile site, String actorLabel, boolean dryRun, BiFunction<String, String, SiteProblem> locate, String source) {
        List<Step> steps = plan(site, locate, source);
        ObjectNode report = Json.object();
        report.put("dry_run", dryRun);
        ArrayNode tenantsOut = report.putArray("tenants");
        ArrayNode connectorsOut = report.putArray("connectors");
        ArrayNode connectionsOut = report.putArray("connections");
        Map<String, String> tenantIds = new HashMap<>();
        for (Tenant t : tenants.list()) tenantIds.put(t.name(), t.tenantId());
        int changes = 0;
        try {
            for (Step s : steps) {
                if (s instanceof Note n) {
                    report.withArray(n.section()).add(n.entry());
                } else if (s instanceof NewTenant n) {
                    changes++;
                    ObjectNode e = Json.object().put("name", n.spec().name()).put("result", "created");
                    if (dryRun) { tenantsOut.add(e); continue; }
                    CreatedTenant t = tenants.create(n.spec().name(), actorLabel, Principal.localActor());
                    tenantIds.put(t.tenant().name(), t.tenant().tenantId());
                    e.put("tenant_id", t.tenant().tenantId()).put("admin_token", t.adminToken().utf8()).put("actor", t.actorLabel());
                    tenantsOut.add(e);
                } else if (s instanceof NewConnector n) {
                    changes++;
                    ObjectNode e = Json.object().put("tenant", n.tenantName()).put("system_name", n.spec().systemName())
                            .put("auth_method", n.spec().authMethod().wire()).put("result", "created");
                    if (dryRun) { connectorsOut.add(e); continue; }
                    Registration r = connectors.register(principal(tenantIds, n.tenantName()), n.spec().toRequest());
                    e.setAll(ConnectorService.toJson(r.connector()));
                    Reveal.once(e, r.issued());
                    connectorsOut.add(e.put("result", "created"));
                } else if (s instanceof UpdateConnector n) {
                    changes++;
                    ObjectNode e = Json.object().put("tenant", n.tenantName()).put("system_name", n.spec().systemName())
                            .put("auth_method", n.spec().authMethod().wire()).put("result", "updated");
                    if (dryRun) { connectorsOut.add(e); continue; }
                    Connector c = connectors.updateDeclaration(principal(tenantIds, n.tenantName()), n.existing().connectorId(),
                            n.spec().webhookUrl(), n.spec().eventTypes(), n.spec().graceSeconds());
                    e.setAll(ConnectorService.toJson(c));
                    connectorsOut.add(e.put("result", "updated"));
                } else if (s instanceof NewConnection n) {
                    changes++;
                    ObjectNode e = Json.object().put("tenant", n.tenantName()).put("name", n.spec().name())
                            .put("kind", n.spec().kind()).put("result", "created");
                    if (dryRun) { connectionsOut.add(e); continue; }
                    e.setAll(connections.create(principal(tenantIds, n.tenantName()), n.spec()));
                    connectionsOut.add(e.put("result", "created"));
                }
            }
        } catch (RuntimeException e) {
            report.put("changes", changes - 1).put("complete", false);
            log.warn("site import stopped part-way after {} change(s): {}", changes - 1, e.getMessage());
            throw new PartiallyApplied(report, e);
        }
        report.put("changes", changes).put("complete", true);
        if (!dryRun) log.info("site import applied {} change(s)", changes);
        return report;
    }

    private static Principal principal(Map<String, String> tenantIds, String tenantName) {
        return Principal.local(Objects.requireNonNull(tenantIds.get(tenantName), tenantName));
    }

    private List<Step> plan(SiteFile site, BiFunction<String, String, SiteProblem> locate, String source) {
        List<Step> steps = new ArrayList<>();
        List<SiteProblem> conflicts = new ArrayList<>();
        Map<String, Tenant> existing = new HashMap<>();
        for (Tenant t : tenants.list()) existing.put(t.name(), t);
        for (int ti = 0; ti < site.tenants().size(); ti++) {
            TenantSpec spec = site.tenants().get(ti);
            String at = "/tenants/" + ti;
            Tenant t = existing.get(spec.name());
            Principal p = t == null ? null : Principal.local(t.tenantId());
            if (t == null) steps.add(new NewTenant(spec));
            else steps.add(new Note("tenants", Json.object().put("name", t.name()).put("tenant_id", t.tenantId()).put("result", "unchanged")));

            Map<String, List<Connector>> active = new HashMap<>();
            if (p != null) {
                for (Connector c : connectors.list(p)) if (c.active()) active.computeIfAbsent(c.systemName(), k -> new ArrayList<>()).add(c);
            }
            // the k-th entry of a name in the file is the k-th active connector of that name, oldest first
            Map<String, Integer> seen = new HashMap<>();
            for (int ci = 0; ci < spec.connectors().size(); ci++) {
                ConnectorSpec c = spec.connectors().get(ci);
                int k = seen.merge(c.systemName(), 1, Integer::sum) - 1;
                List<Connector> stored = active.getOrDefault(c.systemName(), List.of());
                List<Connector> same = k < stored.size() ? List.of(stored.get(k)) : List.of();
                String cat = at + "/connectors/" + ci;
                if (same.isEmpty()) {
                    steps.add(new NewConnector(spec.name(), c));
                } else if (same.get(0).authMethod() != c.authMethod()) {
                    Connector old = same.get(0);
                    conflicts.add(locate.apply(cat + "/auth_method", "connector \"" + c.systemName() + "\" exists with auth_method "
                            + old.authMethod().wire() + ", not " + c.authMethod().wire() + "; a method cannot change in place: revoke it first "
                            + "(airotech-connect connectors revoke --tenant " + t.tenantId() + " " + old.connectorId() + ") and import again."));
                } else if (!c.sameDeclarationAs(same.get(0))) {
                    steps.add(new UpdateConnector(spec.name(), same.get(0), c));
                } else {
                    ObjectNode e = ConnectorService.toJson(same.get(0));
                    e.put("tenant", spec.name()).put("result", "unchanged");
                    steps.add(new Note("connectors", e));
                }
            }

            Map<String, ConnectionSpec> conns = new HashMap<>();
            if (p != null && connections.available()) for (ConnectionSpec c : connections.list(p)) conns.put(c.name(), c);
            for (int ci = 0; ci < spec.connections().size(); ci++) {
                ConnectionSpec c = spec.connections().get(ci);
                String cat = at + "/connections/" + ci;
                ObjectNode e = Json.object().put("tenant", spec.name()).put("name", c.name()).put("kind", c.kind());
                ConnectionSpec have = conns.get(c.name());
                if (connections.available()) {
                    try {
                        c = connections.normalize(c);
                    } catch (ApiException ex) {
                        Matcher f = FIELD_IN_MESSAGE.matcher(ex.getMessage());
                        conflicts.add(locate.apply(f.find() ? cat + "/" + f.group(1).replace('.', '/') : cat, ex.getMessage()));
                        continue;
                    }
                }
                String blocked = connections.available() && have == null ? connections.cannotCreate(c) : null;
                if (!connections.available()) {
                    steps.add(new Note("connections", e.put("result", "deferred")
                            .put("note", "this build has no outbound connections; import the file again once it has")));
                } else if (blocked != null) {
                    steps.add(new Note("connections", e.put("result", "deferred")
                            .put("note", blocked + " Then import the same file again: only this connection will be created.")));
                } else if (have == null) {
                    steps.add(new NewConnection(spec.name(), c));
                } else if (!have.kind().equals(c.kind())) {
                    conflicts.add(locate.apply(cat + "/kind", "connection \"" + c.name() + "\" exists with kind "
                            + have.kind() + ", not " + c.kind() + "; delete or rename it, then import again."));
                } else if (!have.equals(c)) {
                    steps.add(new Note("connections", e.put("result", "differs")
                            .put("note", "the stored connection differs from the file; the import does not change connections, edit it in the console")));
                } else {
                    steps.add(new Note("connections", e.put("result", "unchanged")));
                }
            }
        }
        if (!conflicts.isEmpty()) throw new SiteFileException(source, conflicts);
        return steps;
    }
}
