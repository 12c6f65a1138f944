package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tenant create|list|disable|enable} (API.md §1, §8). */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Create and list tenants.",
        subcommands = {TenantCommands.Create.class, TenantCommands.ListCmd.class, TenantCommands.Disable.class, TenantCommands.Enable.class})
public final class TenantCommands {
    private TenantCommands() {}

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant; prints its admin token once.")
    static final class Create implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "NAME", description = "The tenant's name.") String name;
        @Option(names = "--actor", paramLabel = "LABEL", description = "Label of the admin token: the audit actor for what it does (e.g. ops@site).") String actor;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.toConfig())) {
                CreatedTenant t = p.tenants().create(name, actor, Principal.localActor());
                Output.print(Json.object().put("tenant_id", t.tenant().tenantId()).put("name", t.tenant().name())
                        .put("admin_token", t.adminToken().utf8()).put("actor", t.actorLabel())
                        .put("data_dir", p.dataDirectory().root().toString()));
                // the data-dir trap: a token written where no gateway looks is refused by the one that runs
                if (p.dataDirectory().runningGateway().isEmpty()) {
                    System.err.println("The tenant was written to " + p.dataDirectory().root() + ", where no gateway runs now. A gateway started"
                            + " with another --data-dir does not know this token: run tenant create with that gateway's --data-dir.");
                }
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants (never tokens).")
    static final class ListCmd implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                ArrayNode arr = Json.MAPPER.createArrayNode();
                for (Tenant t : p.tenants().list()) {
                    arr.add(Json.object().put("tenant_id", t.tenantId()).put("name", t.name()).put("created_at", Times.format(t.createdAt())));
                }
                Output.print(arr);
                return 0;
            }
        }
    }

    abstract static class TenantSwitch implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "TENANT_ID", description = "The tenant id (tn_…).") String tenantId;

        abstract boolean disable();

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                Tenant t = p.tenants().setDisabled(tenantId, disable(), Principal.localActor());
                ObjectNode out = Json.object().put("tenant_id", t.tenantId()).put("name", t.name()).put("disabled", t.disabled());
                if (t.disabledAt() != null) out.put("disabled_at", Times.format(t.disabledAt()));
                Output.print(out);
                return 0;
            }
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a tenant: its admin tokens and connectors are refused (audited) until it is enabled.")
    static final class Disable extends TenantSwitch {
        @Override boolean disable() { return true; }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled tenant again.")
    static final class Enable extends TenantSwitch {
        @Override boolean disable() { return false; }
    }
}
