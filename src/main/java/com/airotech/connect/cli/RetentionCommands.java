package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.retention.RetentionService;
import com.airotech.connect.retention.StorageHealth;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code airotech-connect retention show|set} (API.md §8): how long each tenant's events are kept, the
 * disk floor and the audit trail's own retention. Changes are audited as {@code retention.changed};
 * a running gateway applies them at its next pruning round (within ten seconds).
 */
public final class RetentionCommands {
    private RetentionCommands() {}

    @Command(name = "retention", mixinStandardHelpOptions = true, description = "Show or set how long events (and the audit trail) are kept, and the disk floor.",
            subcommands = {Show.class, Set.class})
    public static final class Group {}

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Without --tenant: the disk floor, the audit retention, the storage's state and every tenant's retention. "
                    + "With --tenant: that tenant's settings as GET /api/retention gives them, and what pruning did.")
    static final class Show implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--tenant", paramLabel = "ID", description = "Only this tenant (tn_…).") String tenantId;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                Output.print(tenantId == null ? site(p) : tenant(p, tenantId));
                return 0;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change retention; prints what applies afterwards (as show does). Each change is audited as retention.changed.")
    static final class Set implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--tenant", paramLabel = "ID", description = "The tenant whose --max-age-days this sets (tn_…).") String tenantId;
        @Option(names = "--max-age-days", paramLabel = "N", description = "Keep the tenant's events N days (1-36500; default 30).") Integer maxAgeDays;
        @Option(names = "--min-free-disk-percent", paramLabel = "P",
                description = "The disk floor for the whole gateway: below P % free on the data directory's disk the oldest events go, "
                        + "published or not (0-50; 0 = no floor; default 10).") Integer floor;
        @Option(names = "--audit-max-age-days", paramLabel = "N|off",
                description = "Prune audit entries older than N days (the chain stays verifiable from an anchor), or 'off' (the default: kept for ever).") String auditDays;

        @Override
        public Integer call() {
            if (maxAgeDays == null && floor == null && auditDays == null) {
                throw new IllegalArgumentException("Nothing to set: give --max-age-days (with --tenant), --min-free-disk-percent or --audit-max-age-days.");
            }
            if ((maxAgeDays == null) != (tenantId == null)) {
                throw new IllegalArgumentException("--max-age-days sets one tenant's retention: give it together with --tenant ID.");
            }
            boolean auditOff = "off".equalsIgnoreCase(auditDays);
            Integer audit = null;
            if (auditDays != null && !auditOff) {
                try {
                    audit = Integer.parseInt(auditDays.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--audit-max-age-days takes a number of days or 'off'.");
                }
            }
            RetentionService.SiteChange change = new RetentionService.SiteChange(floor, audit, auditOff);
            try (Platform p = Platform.open(common.existingConfig())) {
                if (tenantId != null) p.tenants().require(tenantId);
                p.retention().setSite(Principal.localActor(), change);
                if (tenantId != null) {
                    p.retention().setMaxAgeDays(Principal.local(tenantId), maxAgeDays);
                    Output.print(tenant(p, tenantId));
                } else {
                    Output.print(site(p));
                }
                return 0;
            }
        }
    }

    private static ObjectNode tenant(Platform p, String tenantId) {
        Tenant t = p.tenants().require(tenantId);
        RetentionService.Policy policy = p.retention().policy(t.tenantId());
        ObjectNode out = Json.object().put("tenant_id", t.tenantId()).put("name", t.name());
        out.setAll(RetentionService.toJson(policy));
        RetentionService.Totals totals = p.retention().totals(t.tenantId());
        time(out, "oldest_event_at", p.ingest().oldestStored(Principal.local(t.tenantId())));
        out.put("events_stored", p.ingest().count(Principal.local(t.tenantId())));
        out.put("events_pruned", totals.pruned()).put("forced_pruned", totals.forced()).put("forced_held_released", totals.forcedHeld());
        time(out, "last_prune_at", totals.lastPruneAt());
        time(out, "last_forced_at", totals.lastForcedAt());
        return out;
    }

    private static ObjectNode site(Platform p) {
        RetentionService.Site site = p.retention().site();
        ObjectNode out = Json.object().put("min_free_disk_percent", site.minFreeDiskPercent());
        if (site.auditMaxAgeDays() == null) out.putNull("audit_max_age_days"); else out.put("audit_max_age_days", site.auditMaxAgeDays());
        if (site.agePruningFrom().isAfter(Instant.now())) time(out, "age_pruning_from", site.agePruningFrom());
        StorageHealth.Snapshot s = p.storageHealth().measure();
        out.putObject("storage").put("state", s.state()).put("database_bytes", s.databaseBytes()).put("wal_bytes", s.walBytes())
                .put("reusable_bytes", s.reusableBytes()).put("free_bytes", s.freeBytes())
                .put("free_percent", Math.round(s.freePercent() * 10) / 10.0);
        ArrayNode tenants = out.putArray("tenants");
        Map<String, Integer> ages = p.retention().maxAgeByTenant();
        for (Tenant t : p.tenants().list()) {
            tenants.add(Json.object().put("tenant_id", t.tenantId()).put("name", t.name()).put("max_age_days", ages.getOrDefault(t.tenantId(),
                    RetentionService.DEFAULT_MAX_AGE_DAYS)));
        }
        return out;
    }

    private static void time(ObjectNode o, String field, Instant t) {
        if (t == null) o.putNull(field); else o.put(field, Times.format(t));
    }
}
