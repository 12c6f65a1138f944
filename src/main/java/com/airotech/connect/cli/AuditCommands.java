package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditExport;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Times;
import com.airotech.connect.store.DataDirectory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** {@code audit list|verify|key|export} (API.md §1, docs/audit.md): read, check and hand over the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and check the audit trail.", subcommands = {AuditCommands.ListCmd.class, AuditCommands.Verify.class, AuditCommands.Key.class, AuditCommands.Export.class})
public final class AuditCommands {
    private AuditCommands() {}

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "A tenant's audit trail, oldest first, as GET /api/audit gives it: {\"entries\":[…],\"next_cursor\":…}.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;
        @Option(names = "--from", paramLabel = "TIME", description = "Entries at or after this UTC time (2026-11-22T00:00:00Z).") String from;
        @Option(names = "--to", paramLabel = "TIME", description = "Entries before this UTC time.") String to;
        @Option(names = "--action", paramLabel = "ACTION", description = "Only this action (e.g. connector.rotated).") String action;
        @Option(names = "--actor", paramLabel = "LABEL", description = "Only this actor (e.g. ops@site, os:root).") String actor;
        @Option(names = "--connector-id", paramLabel = "ID", description = "Only entries about this connector (or other target).") String target;
        @Option(names = "--text", paramLabel = "TEXT", description = "Only entries with this text in any field.") String text;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Entries per page, 1-1000 (default ${DEFAULT-VALUE}).") int limit;
        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next_cursor of the previous page.") String cursor;
        @Option(names = "--all", description = "Every page, one after the other (next_cursor is then null).") boolean all;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                p.tenants().require(tenantId);
                AuditQuery q = new AuditQuery(
                        from == null ? null : Times.parse(from, "--from"),
                        to == null ? null : Times.parse(to, "--to"),
                        action, actor, target, text, limit, AuditLog.parseCursor(cursor));
                ArrayNode entries = Json.MAPPER.createArrayNode();
                String next;
                while (true) {
                    AuditPage page = p.audit().page(tenantId, q);
                    page.entries().forEach(e -> entries.add(e.toJson()));
                    next = page.nextCursor();
                    if (!all || next == null) break;
                    q = new AuditQuery(q.from(), q.to(), q.action(), q.actor(), q.target(), q.text(), q.limit(), AuditLog.parseCursor(next));
                }
                ObjectNode out = Json.object();
                out.set("entries", entries);
                if (next == null) out.putNull("next_cursor"); else out.put("next_cursor", next);
                Output.print(out);
                return 0;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every tenant's audit hash chain: exit 0 if intact, 1 naming the first broken entry.")
    static final class Verify implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                AuditLog.Verification v = p.audit().verify();
                ObjectNode out = Json.object().put("intact", v.intact()).put("tenants", v.tenants()).put("entries", v.entries())
                        .put("keyed", v.keyed());
                if (v.keyFingerprint() != null) out.put("key_fingerprint", v.keyFingerprint());
                var prefixes = out.putArray("unkeyed_before");
                for (AuditLog.UnkeyedPrefix u : v.unkeyedPrefixes()) prefixes.addObject().put("tenant_id", u.tenantId()).put("keyed_from", u.keyedFrom());
                if (!v.intact()) out.put("problem", v.problem());
                Output.print(out);
                for (AuditLog.UnkeyedPrefix u : v.unkeyedPrefixes()) System.err.println("note: " + u.describe());
                if (!v.intact()) System.err.println("audit chain broken: " + v.problem());
                return v.intact() ? 0 : 1;
            }
        }
    }

    /**
     * {@code audit key --output FILE}: writes the audit chain's key (hex) to a new file, mode 0600, for
     * the operator to hand to an auditor who verifies an export offline (docs/audit.md). Prints the
     * key's fingerprint, never the key.
     */
    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Write the audit chain's key (hex) to a new file (0600) for an auditor; prints its fingerprint, never the key.")
    static final class Key implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--output", required = true, paramLabel = "FILE", description = "A file that does not exist yet.") Path output;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(output)) throw new IllegalArgumentException(output + " exists already; name a new file, so no key is ever overwritten.");
            try (Platform p = Platform.open(common.existingConfig())) {
                Secret key = p.audit().keyMaterial();
                try {
                    DataDirectory.writeKeyFile(output, (Crypto.hex(key.bytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
                } finally {
                    key.destroy();
                }
                Output.print(Json.object().put("key_file", output.toAbsolutePath().toString()).put("key_fingerprint", p.audit().keyFingerprint()));
                return 0;
            }
        }
    }

    /**
     * {@code audit export --tenant ID [--format json|csv] [--output FILE]}: a tenant's whole trail, oldest
     * first, with each entry's chain link and the audit key's fingerprint, for an auditor who verifies it
     * offline (docs/audit.md). The console's Export does the same for a filtered view.
     */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "A tenant's whole audit trail with each entry's chain link and the key's fingerprint, for offline verification (docs/audit.md).")
    static final class Export implements Callable<Integer> {
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
                    Output.print(Json.object().put("file", output.toAbsolutePath().toString()).put("entries", n).put("key_fingerprint", p.audit().keyFingerprint()));
                }
                return 0;
            }
        }
    }
}
