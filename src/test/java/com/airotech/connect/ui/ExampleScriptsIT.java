package com.airotech.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
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
class ExampleScriptsIT {
    @Test
    void everyMethodsExampleDeliversAnEvent() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            TestGateway.TenantHandle t = gw.tenant("acme");
            String base = "http://127.0.0.1:" + gw.port();
            for (MethodGuide g : MethodGuide.available(gw.platform.connectors().supportedMethods())) {
                Registration r = gw.platform.connectors().register(t.principal(),
                        new RegistrationRequest("site-" + g.name().toLowerCase(), null, g.method(), List.of("door_open"), 60, null));
                String script = g.example(base, r.connector(), r.issued().credential().utf8());
                Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
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
