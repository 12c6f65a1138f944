package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.tenant.Principal;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command on one tenant's things ({@code --tenant ID}): opens the site that is there (never a new one),
 * checks the tenant exists and acts as the local operator of that tenant.
 */
abstract class TenantCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;

    @Override
    public Integer call() throws IOException {
        try (Platform p = Platform.open(common.existingConfig())) {
            p.tenants().require(tenantId);
            return run(p, Principal.local(tenantId));
        }
    }

    abstract Integer run(Platform p, Principal principal) throws IOException;
}
