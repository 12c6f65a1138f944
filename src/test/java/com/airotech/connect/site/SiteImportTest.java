package com.airotech.connect.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Import and export of site files against a real data directory (real SQLite, no gateway). */
class SiteImportTest {
    private static final Path DEMO = Path.of("sample-data/demo-site.json");
    private Platform platform;
    private FakeConnections connections;

    /** An in-memory stand-in for the connections service, to show what the interface must do. */
    static final class FakeConnections implements SiteConnections {
        final Map<String, List<ConnectionSpec>> byTenant = new HashMap<>();

        @Override public boolean available() { return true; }
        @Override public List<ConnectionSpec> list(Principal tenant) { return List.copyOf(byTenant.getOrDefault(tenant.tenantId(), List.of())); }
        @Override public ObjectNode create(Principal tenant, ConnectionSpec spec) {
            byTenant.computeIfAbsent(tenant.tenantId(), k -> new ArrayList<>()).add(spec);
            return Json.object().put("connection_id", "co_" + spec.name()).put("status", "pending");
        }
    }

    @BeforeEach
    void open() {
        platform = Platform.open(Config.defaults(TestGateway.tempDir().resolve("data")));
        connections = new FakeConnections();
    }

    @AfterEach
    void close() { platform.close(); }

    private SiteFileReader reader() { return new SiteFileReader(platform.connectors().supportedMethods()); }

    private ObjectNode importText(String name, String text, SiteConnections conns) {
        SiteFileReader r = reader();
        SiteFile site = r.read(name, text.getBytes(StandardCharsets.UTF_8));
        return new SiteImporter(platform.tenants(), platform.connectors(), conns).apply(site, "rollout@test", false, r::problemAt, name);
    }

    private ObjectNode importDemo(SiteConnections conns) throws IOException {
        return importText("demo-site.json", Files.readString(DEMO), conns);
    }

    private long auditEntries() { return platform.audit().verify().entries(); }

    private List<Connector> demoConnectors() {
        Tenant t = platform.tenants().list().get(0);
        return platform.connectors().list(Principal.local(t.tenantId()));
    }

    @Test
    void theFirstImportMintsEachCredentialOnceAndASecondImportChangesNothing() throws IOException {
        ObjectNode first = importDemo(connections);
        assertThat(first.get("changes").asInt()).isEqualTo(1 + 3 + 2);
        assertThat(first.get("tenants").get(0).get("admin_token").asText()).startsWith("atk_");
        assertThat(first.get("connectors")).hasSize(3).allSatisfy(c -> {
            assertThat(c.get("result").asText()).isEqualTo("created");
            assertThat(c.get("credential").asText()).isNotBlank();
            assertThat(c.get("webhook_path").asText()).startsWith("/api/events/ingest/tn_");
        });
        assertThat(first.get("connectors").get(0).get("credential").asText()).startsWith("whsec_");
        List<String> hashesBefore = demoConnectors().stream().map(Connector::credentialSha256).toList();
        long auditBefore = auditEntries();

        ObjectNode second = importDemo(connections);

        assertThat(second.get("changes").asInt()).isZero();
        assertThat(second.findValuesAsText("result")).isNotEmpty().allMatch("unchanged"::equals);
        assertThat(second.findValue("credential")).isNull();
        assertThat(second.findValue("admin_token")).isNull();
        assertThat(auditEntries()).isEqualTo(auditBefore);
        assertThat(platform.tenants().list()).hasSize(1);
        assertThat(demoConnectors().stream().map(Connector::credentialSha256).toList()).isEqualTo(hashesBefore);
        assertThat(connections.byTenant.values().iterator().next()).hasSize(2);
    }

    @Test
    void connectionsAreReportedDeferredWhileTheBuildHasNone() throws IOException {
        ObjectNode report = importDemo(SiteConnections.NONE);
        assertThat(report.get("connections")).hasSize(2).allSatisfy(c -> assertThat(c.get("result").asText()).isEqualTo("deferred"));
        assertThat(report.get("changes").asInt()).isEqualTo(4);
    }

    @Test
    void aChangedDeclarationIsUpdatedInPlaceKeepingTheCredential() throws IOException {
        importDemo(connections);
        String before = demoConnectors().get(1).credentialSha256();
        String changed = Files.readString(DEMO).replace("\"badge_denied\"", "\"badge_denied\", \"door_held\"");
        ObjectNode report = importText("changed.json", changed, connections);
        assertThat(report.get("changes").asInt()).isEqualTo(1);
        Connector doors = demoConnectors().get(1);
        assertThat(doors.eventTypes()).contains("door_held");
        assertThat(doors.credentialSha256()).isEqualTo(before);
        assertThat(report.findValue("credential")).isNull();
        assertThat(platform.audit().verify().intact()).isTrue();
    }

    @Test
    void aSyntaxErrorIsRefusedWithItsLineAndNothingIsApplied() throws IOException {
        String broken = Files.readString(DEMO).replace("\"auth_method\": \"api_key\",", "\"auth_method\": \"api_key\"");
        int line = lineOf(broken, "\"auth_method\": \"api_key\"") + 1; // the missing comma is noticed at the next field
        assertThatThrownBy(() -> importText("broken.json", broken, connections))
                .isInstanceOfSatisfying(SiteFileException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0).line()).isEqualTo(line);
                    assertThat(e.getMessage()).contains("broken.json: line " + line + ",").contains("nothing changed");
                });
        assertThat(platform.tenants().list()).isEmpty();
    }

    @Test
    void everyInvalidEntryIsNamedWithItsLineAndNothingIsApplied() throws IOException {
        String text = Files.readString(DEMO)
                .replace("\"auth_method\": \"basic\"", "\"auth_method\": \"telepathy\"")
                .replace("\"door_forced\"", "\"Door Forced\"")
                .replace("\"grace_seconds\": 300", "\"grace_seconds\": 300, \"colour\": \"blue\"")
                .replace("\"config\": {\"header\": \"X-Api-Key\"}", "\"config\": {\"header\": \"X-Api-Key\", \"api_key\": \"not-here\"}");
        assertThatThrownBy(() -> importText("bad.json", text, connections))
                .isInstanceOfSatisfying(SiteFileException.class, e -> {
                    assertThat(e.problems()).extracting(SiteProblem::line).containsExactlyInAnyOrder(
                            lineOf(text, "\"colour\""), lineOf(text, "\"Door Forced\""), lineOf(text, "telepathy"), lineOf(text, "\"api_key\": \"not-here\""));
                    assertThat(e.problems()).extracting(SiteProblem::path).contains(
                            "tenants[0].connectors[2].auth_method", "tenants[0].connectors[1].event_types[2]", "tenants[0].connections[1].config.api_key");
                    assertThat(e.getMessage()).contains("credential material");
                });
        assertThat(platform.tenants().list()).isEmpty();
        assertThat(auditEntries()).isZero();
    }

    @Test
    void aMethodThatCannotChangeInPlaceRefusesTheWholeFile() throws IOException {
        importDemo(connections);
        long audit = auditEntries();
        String text = Files.readString(DEMO).replace("\"auth_method\": \"basic\"", "\"auth_method\": \"api_key\"")
                .replace("\"system_name\": \"bms-gateway\"", "\"system_name\": \"bms-gateway-2\"");
        assertThatThrownBy(() -> importText("conflict.json", text, connections))
                .isInstanceOfSatisfying(SiteFileException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.line()).isEqualTo(lineOf(text, "\"auth_method\": \"api_key\"", 2));
                        assertThat(p.message()).contains("revoke it first");
                    });
                });
        assertThat(auditEntries()).isEqualTo(audit);
        assertThat(demoConnectors()).extracting(Connector::systemName).doesNotContain("bms-gateway-2");
    }

    @Test
    void exportWritesTheSameSiteWithoutAnyMaterialAndReimportsAsIs() throws IOException {
        ObjectNode report = importDemo(connections);
        String exported = SiteFileReader.write(new SiteExporter(platform.tenants(), platform.connectors(), connections).export(null));

        for (JsonNode secret : report.findValues("credential")) assertThat(exported).doesNotContain(secret.asText());
        assertThat(exported).doesNotContain(report.findValue("admin_token").asText()).doesNotContain("credential").doesNotContain("tn_");
        SiteFile original = reader().read("demo", Files.readAllBytes(DEMO));
        SiteFile roundTrip = reader().read("export", exported.getBytes(StandardCharsets.UTF_8));
        assertThat(roundTrip).isEqualTo(original);
        assertThat(SiteFileReader.write(original)).isEqualTo(exported);
        assertThat(importText("export.json", exported, connections).get("changes").asInt()).isZero();
    }

    @Test
    void theAllMethodsDemoIsValidOnceEveryMethodIsAvailable() throws IOException {
        byte[] all = Files.readAllBytes(Path.of("sample-data/demo-site-all-methods.json"));
        SiteFile site = new SiteFileReader(EnumSet.allOf(AuthMethod.class)).read("all", all);
        assertThat(site.tenants().get(0).connectors()).extracting(ConnectorSpec::authMethod).containsExactlyInAnyOrder(AuthMethod.values());
    }

    private static int lineOf(String text, String needle) { return lineOf(text, needle, 1); }

    private static int lineOf(String text, String needle, int occurrence) {
        String[] lines = text.split("\n", -1);
        int seen = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle) && ++seen == occurrence) return i + 1;
        }
        throw new AssertionError(needle + " not in text");
    }
}
