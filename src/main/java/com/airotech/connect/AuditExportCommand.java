package com.airotech.connect;

import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditExport;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code audit export --tenant ID [--format json|csv] [--output FILE]}: a tenant's whole trail, oldest
 * first, with each entry's chain link and the audit key's fingerprint, for an auditor who verifies it
 * offline (docs/audit.md). The console's Export does the same for a filtered view.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "A tenant's whole audit trail with each entry's chain link and the key's fingerprint, for offline verification (docs/audit.md).")
final class AuditExportCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json (default) or csv.") String format;
    @Option(names = "--output", paramLabel = "FILE", description = "Write to this file instead of standard output.") Path output;

    @Override
    public Integer call() throws IOException {
        AuditExport.Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> AuditExport.Format.JSON;
            case "csv" -> AuditExport.Format.CSV;
            default -> throw new IllegalArgumentException("--format is json or csv.");
        };
        try (Platform p = Platform.open(common.existingConfig())) {
            p.tenants().require(tenantId);
            Writer w = output == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8) : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            long n = 0;
            try (AuditExport out = new AuditExport(new BufferedWriter(w), f, p.audit().keyFingerprint())) {
                Long after = null;
                do {
                    AuditPage page = p.audit().page(tenantId, new AuditQuery(null, null, null, null, null, null, AuditQuery.MAX_LIMIT, after));
                    for (AuditEntry e : page.entries()) out.write(e);
                    n += page.entries().size();
                    after = page.nextCursor() == null ? null : AuditLog.parseCursor(page.nextCursor());
                } while (after != null);
            }
            if (output != null) {
                Main.print(Json.object().put("file", output.toAbsolutePath().toString()).put("entries", n).put("key_fingerprint", p.audit().keyFingerprint()));
            }
            return 0;
        }
    }
}
