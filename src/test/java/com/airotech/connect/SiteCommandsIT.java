package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rollout path from the command line: import the demo site, simulate its gateways, export. */
class SiteCommandsIT {
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:role/airotech-platform";

    @Test
    void theDemoSiteImportsAndItsSimulatedGatewaysGetEveryMethodsEventsStored() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        System.setProperty(AwsEnvironment.PRINCIPAL_PROPERTY, PRINCIPAL);
        try (TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, 0))) {
            Path creds = TestGateway.tempDir().resolve("demo-credentials.json");
            MainTest.Run imported = MainTest.run("import", "sample-data/demo-site.json", "--output", creds.toString(), "--data-dir", gw.dataDir.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.out()).isEmpty();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds))).isEqualTo("rw-------");
            JsonNode report = Json.tree(Files.readString(creds));
            String token = report.get("tenants").get(0).get("admin_token").asText();
            Map<String, String> methodOf = new HashMap<>();
            Map<String, Set<String>> allowed = new HashMap<>();
            for (JsonNode c : report.get("connectors")) {
                methodOf.put(c.get("connector_id").asText(), c.get("auth_method").asText());
                Set<String> types = new HashSet<>();
                c.get("event_types").forEach(t -> types.add(t.asText()));
                allowed.put(c.get("connector_id").asText(), types);
            }
            assertThat(methodOf.values()).containsExactlyInAnyOrder("hmac", "api_key", "basic", "rsa", "oauth2", "mtls");
            JsonNode aws = null;
            for (JsonNode c : report.get("connections")) if (c.get("kind").asText().equals("aws_iam")) aws = c;
            assertThat(aws).isNotNull();
            assertThat(aws.at("/trust_policy/Statement/0/Condition/StringEquals/sts:ExternalId").asText()).isEqualTo(aws.get("external_id").asText());
            assertThat(imported.err()).contains("\"aws-demo-account\" (aws_iam)").contains(aws.get("external_id").asText())
                    .contains("connections rotate --tenant " + report.get("tenants").get(0).get("tenant_id").asText());

            MainTest.Run sim = MainTest.run("simulate", creds.toString(), "--url", "http://127.0.0.1:" + gw.port(),
                    "--https-url", "https://127.0.0.1:" + gw.platform.gateway().httpsPort(), "--count", "3", "--rate", "20");
            assertThat(sim.exit()).as(sim.err()).isZero();
            assertThat(sim.json().get("sent").asInt()).isEqualTo(18);
            assertThat(sim.json().get("accepted").asInt()).isEqualTo(18);

            TestGateway.Response events = gw.get(token, "/api/events?limit=100");
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.json().get("events")).hasSize(18);
            Map<String, Integer> perMethod = new HashMap<>();
            for (JsonNode e : events.json().get("events")) {
                String connector = e.get("connector_id").asText();
                perMethod.merge(methodOf.get(connector), 1, Integer::sum);
                assertThat(allowed.get(connector)).contains(e.get("event_type").asText());
                assertThat(e.get("data").size()).isPositive();
            }
            assertThat(perMethod).containsOnlyKeys("hmac", "api_key", "basic", "rsa", "oauth2", "mtls").allSatisfy((m, n) -> assertThat(n).as(m).isEqualTo(3));

            // stopped by --duration, the requests in flight are still answered and counted
            MainTest.Run timed = MainTest.run("simulate", creds.toString(), "--url", "http://127.0.0.1:" + gw.port(),
                    "--https-url", "https://127.0.0.1:" + gw.platform.gateway().httpsPort(), "--duration", "2", "--rate", "10");
            assertThat(timed.exit()).as(timed.err()).isZero();
            assertThat(timed.json().get("sent").asInt()).isPositive().isEqualTo(timed.json().get("accepted").asInt());

            MainTest.Run again = MainTest.run("import", "sample-data/demo-site.json", "--data-dir", gw.dataDir.toString());
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.json().get("changes").asInt()).isZero();
            assertThat(again.err()).contains("nothing to change");

            MainTest.Run exported = MainTest.run("export", "--data-dir", gw.dataDir.toString());
            assertThat(exported.exit()).isZero();
            for (JsonNode c : report.get("connectors")) {
                for (String f : List.of("credential", "private_key_pem", "client_p12_base64", "client_p12_password")) {
                    if (c.hasNonNull(f)) assertThat(exported.out()).doesNotContain(c.get(f).asText());
                }
            }
            assertThat(exported.out()).doesNotContain(token).contains("\"system_name\" : \"door-controllers\"")
                    .contains("\"name\" : \"aws-demo-account\"").contains("\"name\" : \"bms-vendor-api\"");
        } finally {
            System.clearProperty(AwsEnvironment.PRINCIPAL_PROPERTY);
        }
    }

    @Test
    void aMalformedSiteFileIsRefusedWithLineNumbersAndExitCodeTwo() throws Exception {
        Path dir = TestGateway.tempDir();
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"format\": \"airotech-site/1\",\n  \"tenants\": [\n    {\"name\": \"x\", \"connectors\": [{\"system_name\": \"a\", \"auth_method\": \"carrier-pigeon\"}]}\n  ]\n}\n");
        MainTest.Run r = MainTest.run("import", bad.toString(), "--data-dir", dir.resolve("d").toString());
        assertThat(r.exit()).isEqualTo(2);
        JsonNode problem = r.json().get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("path").asText()).isEqualTo("tenants[0].connectors[0].auth_method");
        assertThat(r.err()).contains("bad.json: line 4, column").contains("nothing changed");
        assertThat(MainTest.run("tenant", "list", "--data-dir", dir.resolve("d").toString()).json()).isEmpty();
    }

    @Test
    void theSimulatorSaysWhatToDoWhenNoGatewayIsListening() throws Exception {
        Path creds = TestGateway.tempDir().resolve("c.json");
        try (TestGateway gw = TestGateway.start()) {
            assertThat(MainTest.run("import", "sample-data/demo-site.json", "--output", creds.toString(), "--data-dir", gw.dataDir.toString()).exit()).isZero();
        }
        // nothing listens on the loopback discard port
        MainTest.Run sim = MainTest.run("simulate", creds.toString(), "--url", "http://127.0.0.1:9", "--count", "1");
        assertThat(sim.exit()).isEqualTo(1);
        assertThat(sim.err()).contains("Is 'airotech-connect serve' (or the console) running?");
    }
}
