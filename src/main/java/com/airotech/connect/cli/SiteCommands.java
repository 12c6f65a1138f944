package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.site.ServiceConnections;
import com.airotech.connect.site.SiteConnections;
import com.airotech.connect.site.SiteExporter;
import com.airotech.connect.site.SiteFile;
import com.airotech.connect.site.SiteFileException;
import com.airotech.connect.site.SiteFileReader;
import com.airotech.connect.site.SiteImporter;
import com.airotech.connect.site.SiteProblem;
import com.airotech.connect.store.DataDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The rollout commands: {@code import} and {@code export} of a site file (API.md §1). */
public final class SiteCommands {
    private SiteCommands() {}

    /** Where import and export find outbound connections: the platform's connection service. */
    static SiteConnections connections(Platform p) {
        return new ServiceConnections(p.connections());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Apply a declarative site file (tenants, connectors, connections; no material), idempotently.",
                    "Prints, once, the admin tokens and credentials it minted, as JSON. A file with any problem is refused whole, with line numbers."})
    public static final class ImportCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "FILE", description = "The site file (JSON, see sample-data/demo-site.json); - reads stdin.") String file;
        @Option(names = "--actor", paramLabel = "LABEL", description = "Label of the admin tokens of tenants it creates (default admin@<tenant>).") String actor;
        @Option(names = "--dry-run", description = "Check the file against the stored site and print what would change; change nothing.") boolean dryRun;
        @Option(names = "--output", paramLabel = "FILE", description = "Write the report (with the minted credentials) to FILE, mode 0600, instead of stdout.") Path output;

        @Override
        public Integer call() throws IOException {
            String name = "-".equals(file) ? "stdin" : file;
            byte[] content;
            try {
                content = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("The site file " + file + " does not exist. Pass the path of a site file, e.g. sample-data/demo-site.json.");
            }
            if (output != null && Files.exists(output)) {
                throw new IllegalArgumentException(output + " exists; the import would overwrite credentials printed earlier. Choose another --output, or move it away.");
            }
            try (Platform p = Platform.open(common.toConfig())) {
                SiteFileReader reader = new SiteFileReader(p.connectors().supportedMethods());
                ObjectNode report;
                try {
                    SiteFile site = reader.read(name, content);
                    report = new SiteImporter(p.tenants(), p.connectors(), connections(p)).apply(site, actor, dryRun, reader::problemAt, name);
                } catch (SiteFileException e) {
                    ObjectNode refused = Json.object().put("applied", false);
                    ArrayNode arr = refused.putArray("problems");
                    for (SiteProblem pr : e.problems()) {
                        arr.addObject().put("line", pr.line()).put("column", pr.column()).put("path", pr.path()).put("message", pr.message());
                    }
                    Output.print(refused);
                    System.err.println("error: " + e.getMessage());
                    return 2;
                } catch (SiteImporter.PartiallyApplied e) {
                    emit(e.report());
                    throw e;
                }
                emit(report);
                int changes = report.path("changes").asInt();
                System.err.println((dryRun ? "dry run: " + changes + " change(s) would be applied" : changes == 0 ? "nothing to change: the site already matches " + name
                        : changes + " change(s) applied") + (dryRun || changes == 0 ? "." : "; the credentials " + (output == null ? "above" : "in " + output)
                        + " are shown this once: hand each to its gateway now."));
                if (!dryRun) nextSteps(report);
                return 0;
            }
        }

        /** What the operator still has to do for the connections: material, a role, or a deferred entry. */
        private static void nextSteps(ObjectNode report) {
            Map<String, String> tenantIds = new HashMap<>();
            for (JsonNode t : report.path("tenants")) tenantIds.put(t.path("name").asText(), t.path("tenant_id").asText());
            for (JsonNode c : report.path("connections")) {
                String name = c.path("name").asText();
                String result = c.path("result").asText();
                if (result.equals("deferred")) {
                    System.err.println("connection \"" + name + "\" not created yet: " + c.path("note").asText());
                } else if (result.equals("created") && c.has("trust_policy")) {
                    System.err.println("connection \"" + name + "\" (aws_iam): in the tenant's AWS account, create a role whose trust policy is the"
                            + " \"trust_policy\" in the report (it requires the external id " + c.path("external_id").asText() + "), then give its ARN:"
                            + " airotech-connect connections rotate --tenant " + tenantIds.getOrDefault(c.path("tenant").asText(), "TENANT_ID") + " "
                            + c.path("connection_id").asText() + " --material-file role.json   (role.json: {\"role_arn\": \"arn:aws:iam::…:role/…\"})");
                } else if (result.equals("created") && !c.path("kind").asText().equals("none")) {
                    System.err.println("connection \"" + name + "\" (" + c.path("kind").asText() + ") is pending: " + c.path("detail").asText("")
                            + " From the command line: airotech-connect connections rotate --tenant " + tenantIds.getOrDefault(c.path("tenant").asText(), "TENANT_ID")
                            + " " + c.path("connection_id").asText() + " --material-file FILE, or in the console's Connections screen.");
                }
            }
        }

        private void emit(ObjectNode report) throws IOException {
            if (output == null) {
                Output.print(report);
                return;
            }
            DataDirectory.writeKeyFile(output.toAbsolutePath(), (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8));
            System.err.println("report written to " + output + " (mode 0600)");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the stored site as a site file (tenants, active connectors, connections; never material).")
    public static final class ExportCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant (repeatable; default all).") List<String> tenants;
        @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of stdout.") Path output;

        @Override
        public Integer call() throws IOException {
            try (Platform p = Platform.open(common.existingConfig())) {
                String text = SiteFileReader.write(new SiteExporter(p.tenants(), p.connectors(), connections(p)).export(tenants));
                if (output == null) {
                    System.out.print(text);
                    System.out.flush();
                } else {
                    Files.writeString(output, text, StandardCharsets.UTF_8);
                }
                return 0;
            }
        }
    }
}
