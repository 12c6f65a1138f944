package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.AdminTokenRotation;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.wire.AdminTokenAnswers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code admin-token rotate|revoke} (API.md §8): a tenant's admin token, changed at the site server. */
public final class AdminTokenCommands {
    private AdminTokenCommands() {}

    @Command(name = "admin-token", mixinStandardHelpOptions = true, description = "Rotate or revoke a tenant's admin token.",
            subcommands = {AdminToken.Rotate.class, AdminToken.Revoke.class})
    public static final class AdminToken {
        @Command(name = "rotate", mixinStandardHelpOptions = true,
                description = "Issue a new admin token (printed once); the previous one stays valid for the grace (default 60 s).")
        static final class Rotate implements Callable<Integer> {
            @Mixin CommonOptions common;
            @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;
            @Option(names = "--grace-seconds", paramLabel = "N", description = "How long the previous token stays valid (0-86400, default 60).") Integer grace;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.existingConfig())) {
                    AdminTokenRotation r = p.tenants().rotateAdminToken(tenantId, grace, Principal.localActor());
                    ObjectNode out = AdminTokenAnswers.rotated(r).put("data_dir", p.dataDirectory().root().toString());
                    Output.print(out);
                    return 0;
                }
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true,
                description = "End every admin token of the tenant at once (a leaked token); 'admin-token rotate' then issues a new one.")
        static final class Revoke implements Callable<Integer> {
            @Mixin CommonOptions common;
            @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.existingConfig())) {
                    int n = p.tenants().revokeAdminTokens(tenantId, Principal.localActor());
                    Output.print(Json.object().put("tenant_id", tenantId).put("revoked", n));
                    System.err.println("Every admin token of " + tenantId + " is refused now. Issue a new one: airotech-connect admin-token rotate --tenant "
                            + tenantId + (common.dataDir == null ? "" : " --data-dir " + common.dataDir));
                    return 0;
                }
            }
        }
    }
}
