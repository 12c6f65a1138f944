package com.airotech.connect.ui.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.ingest.EventQuery;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The show-once dialog's examples really send an event: run with bash, curl and openssl against a real gateway. */
public class ExampleScriptsIT {
    @Test
    void everyMethodsExampleDeliversAnEvent() throws Exception {
        Path dir = TestGateway.tempDir();
        try (TestGateway gw = TestGateway.start(Config.defaults(dir.resolve("data")).withPorts(0, 0))) {
            TestGateway.TenantHandle t = gw.tenant("acme");
            String base = "http://127.0.0.1:" + gw.port();
            String https = "https://127.0.0.1:" + gw.platform.gateway().httpsPort();
            Path work = Files.createDirectories(dir.resolve("site"));
            assertThat(MethodGuide.available(gw.platform.connectors().supportedMethods())).hasSize(6);
            for (MethodGuide g : MethodGuide.available(gw.platform.connectors().supportedMethods())) {
                Registration r = gw.platform.connectors().register(t.principal(),
                        new RegistrationRequest("site-" + g.name().toLowerCase(), null, g.method(), List.of("door_open"), 60, null));
                // what the show-once dialog saves, where the example expects it
                Secret key = r.issued().shown().get("private_key_pem");
                if (key != null) Files.write(work.resolve(MethodGuide.privateKeyFile(r.connector())), key.bytes());
                Secret bundle = r.issued().shown().get("client_p12_base64");
                if (bundle != null) Files.write(work.resolve(MethodGuide.bundleFile(r.connector())), Base64.getDecoder().decode(bundle.bytes()));
                Secret oneLine = r.issued().credential() != null ? r.issued().credential() : r.issued().shown().get("client_p12_password");
                String script = g.example(base, https, r.connector(), oneLine == null ? null : oneLine.utf8(), true);
                Process p = new ProcessBuilder("bash", "-c", script).directory(work.toFile()).redirectErrorStream(true).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(g + ": " + out).isZero();
                JsonNode answer = Json.tree(out.getBytes(StandardCharsets.UTF_8));
                assertThat(answer.has("event_id")).as(g + ": " + out).isTrue();
                var stored = gw.platform.ingest().events(t.principal(), new EventQuery(null, r.connector().connectorId(), null, 10, null));
                assertThat(stored.events()).hasSize(1);
                assertThat(stored.events().get(0).eventType()).isEqualTo("door_open");
            }
        }
    }
}
