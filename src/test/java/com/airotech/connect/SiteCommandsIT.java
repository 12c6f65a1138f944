package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rollout path from the command line: import the demo site, simulate its gateways, export. */
class SiteCommandsIT {
    @Test
    void theDemoSiteImportsAndItsSimulatedGatewaysGetEveryEventStored() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Path creds = TestGateway.tempDir().resolve("demo-credentials.json");
            MainTest.Run imported = MainTest.run("import", "sample-data/demo-site.json", "--output", creds.toString(), "--data-dir", gw.dataDir.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.out()).isEmpty();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds))).isEqualTo("rw-------");
            JsonNode report = Json.tree(Files.readString(creds));
            String token = report.get("tenants").get(0).get("admin_token").asText();

            MainTest.Run sim = MainTest.run("simulate", creds.toString(), "--url", "http://127.0.0.1:" + gw.port(), "--count", "4", "--rate", "50");
            assertThat(sim.exit()).as(sim.err()).isZero();
            assertThat(sim.json().get("sent").asInt()).isEqualTo(12);
            assertThat(sim.json().get("accepted").asInt()).isEqualTo(12);
            assertThat(sim.json().get("gateways")).extracting(g -> g.get("auth_method").asText()).containsExactlyInAnyOrder("hmac", "api_key", "basic");

            TestGateway.Response events = gw.get(token, "/api/events?limit=100");
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.json().get("events")).hasSize(12);
            Set<String> connectors = new HashSet<>();
            for (JsonNode e : events.json().get("events")) {
                connectors.add(e.get("connector_id").asText());
                assertThat(e.get("data").size()).isPositive();
            }
            assertThat(connectors).hasSize(3);

            MainTest.Run again = MainTest.run("import", "sample-data/demo-site.json", "--data-dir", gw.dataDir.toString());
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.json().get("changes").asInt()).isZero();
            assertThat(again.err()).contains("nothing to change");

            MainTest.Run exported = MainTest.run("export", "--data-dir", gw.dataDir.toString());
            assertThat(exported.exit()).isZero();
            for (JsonNode c : report.get("connectors")) assertThat(exported.out()).doesNotContain(c.get("credential").asText());
            assertThat(exported.out()).doesNotContain(token).contains("\"system_name\" : \"door-controllers\"");
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
