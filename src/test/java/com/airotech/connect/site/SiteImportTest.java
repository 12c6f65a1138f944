package com.airotech.connect.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.secret.AwsEnvironment;
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
        assertThat(first.get("changes").asInt()).isEqualTo(1 + 6 + 2);
        assertThat(first.get("tenants").get(0).get("admin_token").asText()).startsWith("atk_");
        assertThat(first.get("connectors")).hasSize(6).allSatisfy(c -> {
            assertThat(c.get("result").asText()).isEqualTo("created");
            assertThat(c.get("webhook_path").asText()).startsWith("/api/events/ingest/tn_");
        });
        Map<String, JsonNode> byMethod = new HashMap<>();
        for (JsonNode c : first.get("connectors")) byMethod.put(c.get("auth_method").asText(), c);
        assertThat(byMethod.get("hmac").get("credential").asText()).startsWith("whsec_");
        for (String m : List.of("api_key", "basic", "oauth2")) assertThat(byMethod.get(m).get("credential").asText()).as(m).isNotBlank();
        assertThat(byMethod.get("rsa").get("private_key_pem").asText()).contains("PRIVATE KEY");
        assertThat(byMethod.get("mtls").get("client_p12_base64").asText()).isNotBlank();
        assertThat(byMethod.get("mtls").get("client_p12_password").asText()).isNotBlank();
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
        assertThat(report.get("changes").asInt()).isEqualTo(1 + 6);
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
    void connectorsSharingASystemNameExportAndImportPairedInOrderOfCreation() throws IOException {
        // the API lets several connectors share a system_name; export must write what import takes
        Tenant t = platform.tenants().create("shared-names", "ops@test", "test").tenant();
        Principal p = Principal.local(t.tenantId());
        for (String body : List.of("{\"system_name\":\"v-sys\",\"auth_method\":\"hmac\"}",
                "{\"system_name\":\"v-sys\",\"auth_method\":\"api_key\",\"event_types\":[\"door_open\"]}",
                "{\"system_name\":\"v-sys\",\"auth_method\":\"hmac\",\"event_types\":[\"alarm\"]}")) {
            platform.connectors().register(p, com.airotech.connect.connector.RegistrationRequest.fromJson(Json.MAPPER.readTree(body)));
        }
        String exported = SiteFileReader.write(new SiteExporter(platform.tenants(), platform.connectors(), connections).export(null));
        // into the same directory: each entry pairs with its own connector, nothing changes
        assertThat(importText("export.json", exported, connections).get("changes").asInt()).isZero();

        // into an empty directory: all three are created, in the same order with the same declarations
        Platform other = Platform.open(Config.defaults(TestGateway.tempDir().resolve("other")));
        try {
            SiteFileReader r = new SiteFileReader(other.connectors().supportedMethods());
            ObjectNode report = new SiteImporter(other.tenants(), other.connectors(), new FakeConnections())
                    .apply(r.read("export.json", exported.getBytes(StandardCharsets.UTF_8)), "rollout@test", false, r::problemAt, "export.json");
            assertThat(report.get("changes").asInt()).isEqualTo(1 + 3);
            Tenant copy = other.tenants().list().get(0);
            List<Connector> created = other.connectors().list(Principal.local(copy.tenantId()));
            assertThat(created).extracting(c -> c.authMethod().wire()).containsExactly("hmac", "api_key", "hmac");
            assertThat(created).extracting(c -> c.eventTypes() == null ? List.<String>of() : c.eventTypes()).containsExactly(List.of(), List.of("door_open"), List.of("alarm"));
        } finally {
            other.close();
        }
    }

    @Test
    void theDemoSiteDeclaresEveryInboundMethodAndAnAwsAndABmsConnection() throws IOException {
        SiteFile site = new SiteFileReader(EnumSet.allOf(AuthMethod.class)).read("demo", Files.readAllBytes(DEMO));
        assertThat(site.tenants().get(0).connectors()).extracting(ConnectorSpec::authMethod).containsExactlyInAnyOrder(AuthMethod.values());
        assertThat(site.tenants().get(0).connections()).extracting(ConnectionSpec::kind).contains("aws_iam", "api_key");
    }

    @Test
    void theRealConnectionServiceCreatesEachConnectionOnceAndTheReportCarriesTheTrustPolicy() throws IOException {
        withAwsPrincipal(() -> {
            SiteConnections real = new ServiceConnections(platform.connections());
            ObjectNode first = importDemo(real);
            Principal tenant = Principal.local(platform.tenants().list().get(0).tenantId());
            assertThat(platform.connections().list(tenant)).extracting(c -> c.name()).containsExactlyInAnyOrder("aws-demo-account", "bms-vendor-api");
            JsonNode aws = connectionEntry(first, "aws-demo-account");
            assertThat(aws.get("result").asText()).isEqualTo("created");
            assertThat(aws.get("status").asText()).isEqualTo("pending");
            assertThat(aws.get("connection_id").asText()).startsWith("cx_");
            String externalId = aws.get("external_id").asText();
            assertThat(externalId).hasSize(48);
            assertThat(aws.at("/trust_policy/Statement/0/Condition/StringEquals/sts:ExternalId").asText()).isEqualTo(externalId);
            assertThat(aws.at("/trust_policy/Statement/0/Principal/AWS").asText()).isEqualTo(PRINCIPAL);
            assertThat(connectionEntry(first, "bms-vendor-api").has("trust_policy")).isFalse();
            long audit = auditEntries();

            ObjectNode second = importDemo(real);

            assertThat(second.get("changes").asInt()).isZero();
            assertThat(second.get("connections")).hasSize(2).allSatisfy(c -> assertThat(c.get("result").asText()).isEqualTo("unchanged"));
            assertThat(auditEntries()).isEqualTo(audit);
            assertThat(platform.connections().list(tenant)).hasSize(2);
            assertThat(platform.connections().list(tenant)).filteredOn(c -> c.externalId() != null).singleElement()
                    .satisfies(c -> assertThat(c.externalId()).isEqualTo(externalId));

            String exported = SiteFileReader.write(new SiteExporter(platform.tenants(), platform.connectors(), real).export(null));
            assertThat(exported).doesNotContain("platform_principal").doesNotContain(externalId);
            assertThat(reader().read("export", exported.getBytes(StandardCharsets.UTF_8))).isEqualTo(reader().read("demo", Files.readAllBytes(DEMO)));
            assertThat(importText("export.json", exported, real).get("changes").asInt()).isZero();
        });
    }

    @Test
    void aDefaultLeftOutOfTheFileStillMatchesTheStoredConnectionAndARealDifferenceIsReported() throws IOException {
        withAwsPrincipal(() -> {
            SiteConnections real = new ServiceConnections(platform.connections());
            importDemo(real);
            // the service stores the default header and a base URL without its trailing slash; a file without them means the same
            String terse = Files.readString(DEMO).replace("\"config\": {\"header\": \"X-Api-Key\"},", "")
                    .replace("https://bms-vendor.demo.invalid/api\"", "https://bms-vendor.demo.invalid/api/\"");
            assertThat(terse).doesNotContain("X-Api-Key");
            ObjectNode same = importText("terse.json", terse, real);
            assertThat(same.get("changes").asInt()).isZero();
            assertThat(connectionEntry(same, "bms-vendor-api").get("result").asText()).isEqualTo("unchanged");

            ObjectNode moved = importText("moved.json", Files.readString(DEMO).replace("\"/health\"", "\"/status\""), real);
            assertThat(moved.get("changes").asInt()).isZero();
            assertThat(connectionEntry(moved, "bms-vendor-api").get("result").asText()).isEqualTo("differs");
        });
    }

    @Test
    void withoutAKnownAwsPrincipalOnlyTheAwsConnectionIsDeferredAndALaterImportCreatesIt() throws IOException {
        String imds = System.getProperty("aws.disableEc2Metadata");
        System.setProperty("aws.disableEc2Metadata", "true"); // never ask an instance metadata service from a test
        try {
            SiteConnections real = new ServiceConnections(platform.connections());
            ObjectNode first = importDemo(real);
            assertThat(first.get("complete").asBoolean()).isTrue();
            assertThat(connectionEntry(first, "bms-vendor-api").get("result").asText()).isEqualTo("created");
            JsonNode aws = connectionEntry(first, "aws-demo-account");
            assertThat(aws.get("result").asText()).isEqualTo("deferred");
            assertThat(aws.get("note").asText()).contains("AIROTECH_AWS_PRINCIPAL_ARN").contains("import the same file again");
            assertThat(first.get("changes").asInt()).isEqualTo(1 + 6 + 1);

            withAwsPrincipal(() -> {
                ObjectNode second = importDemo(new ServiceConnections(platform.connections()));
                assertThat(second.get("changes").asInt()).isEqualTo(1);
                assertThat(connectionEntry(second, "aws-demo-account").get("external_id").asText()).hasSize(48);
                assertThat(second.findValue("credential")).isNull();
            });
        } finally {
            if (imds == null) System.clearProperty("aws.disableEc2Metadata"); else System.setProperty("aws.disableEc2Metadata", imds);
        }
    }

    @Test
    void aConnectionTheServiceWouldRefuseIsNamedWithItsLineAndNothingIsApplied() throws IOException {
        String text = Files.readString(DEMO).replace("\"region\": \"eu-central-1\"", "\"region\": \"the moon\"");
        assertThatThrownBy(() -> importText("moon.json", text, new ServiceConnections(platform.connections())))
                .isInstanceOfSatisfying(SiteFileException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(lineOf(text, "the moon"));
                    assertThat(p.path()).isEqualTo("tenants[0].connections[0].config.region");
                    assertThat(p.message()).contains("AWS region");
                }));
        assertThat(platform.tenants().list()).isEmpty();
        assertThat(auditEntries()).isZero();
    }

    private static final String PRINCIPAL = "arn:aws:iam::123456789012:role/airotech-platform";

    interface IoAction { void run() throws IOException; }

    private static void withAwsPrincipal(IoAction action) throws IOException {
        String before = System.getProperty(AwsEnvironment.PRINCIPAL_PROPERTY);
        System.setProperty(AwsEnvironment.PRINCIPAL_PROPERTY, PRINCIPAL);
        try {
            action.run();
        } finally {
            if (before == null) System.clearProperty(AwsEnvironment.PRINCIPAL_PROPERTY); else System.setProperty(AwsEnvironment.PRINCIPAL_PROPERTY, before);
        }
    }

    private static JsonNode connectionEntry(ObjectNode report, String name) {
        for (JsonNode c : report.get("connections")) if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no connection " + name + " in " + report);
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
