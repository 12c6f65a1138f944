package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code airotech-connect connections …} as an operator types it. */
class ConnectionsCliIT {
    record Run(int code, String out, String err) {
        JsonNode json() { return Json.tree(out.strip()); }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void anOperatorAddsRotatesProbesAndAuthorizesFromTheCommandLine() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        String d = dir.toString();
        String tenant = run("tenant", "create", "cli-site", "--data-dir", d).json().get("tenant_id").asText();
        try (FakeBms bms = FakeBms.http()) {
            String pw = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", pw));
            Run added = run("connections", "add", "--tenant", tenant, "--name", "bms-north", "--kind", "basic", "--base-url", bms.baseUrl(),
                    "--probe-path", "/health", "--data-dir", d);
            assertThat(added.code()).as(added.err()).isZero();
            String id = added.json().get("connection_id").asText();
            assertThat(added.json().get("status").asText()).isEqualTo("pending");
            // a new tenant's connections reach nothing: the operator allows the site network (here loopback)
            Path early = Files.createTempFile(dir, "m", ".json");
            Files.writeString(early, Json.write(Json.object().put("username", "site").put("password", pw)));
            Run denied = run("connections", "rotate", "--tenant", tenant, id, "--material-file", early.toString(), "--data-dir", d);
            assertThat(denied.code()).isEqualTo(1);
            assertThat(denied.err()).contains("allows no targets yet").contains("connections policy --tenant " + tenant + " --allow 127.0.0.1/32");
            assertThat(bms.seen).isEmpty();
            Run allowed = run("connections", "policy", "--tenant", tenant, "--allow", "127.0.0.0/8", "--data-dir", d);
            assertThat(allowed.code()).as(allowed.err()).isZero();

            Path wrong = Files.createTempFile(dir, "m", ".json");
            Files.writeString(wrong, Json.write(Json.object().put("username", "site").put("password", "not-" + pw)));
            Run refused = run("connections", "rotate", "--tenant", tenant, id, "--material-file", wrong.toString(), "--data-dir", d);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("failed its probe").doesNotContain(pw);

            Path right = Files.createTempFile(dir, "m", ".json");
            Files.writeString(right, Json.write(Json.object().put("username", "site").put("password", pw)));
            Run rotated = run("connections", "rotate", "--tenant", tenant, id, "--material-file", right.toString(), "--data-dir", d);
            assertThat(rotated.code()).as(rotated.err()).isZero();
            assertThat(rotated.json().get("status").asText()).isEqualTo("healthy");

            Run probe = run("connections", "probe", "--tenant", tenant, id, "--data-dir", d);
            assertThat(probe.code()).isZero();
            assertThat(probe.json().get("status").asText()).isEqualTo("healthy");

            Run list = run("connections", "list", "--tenant", tenant, "--data-dir", d);
            assertThat(list.json()).hasSize(1);
            assertThat(list.out()).doesNotContain(pw);

            Run policy = run("connections", "policy", "--tenant", tenant, "--allow", "10.20.0.0/16", "--allow", "bms.site.local", "--data-dir", d);
            assertThat(policy.json().get("allowed_targets")).extracting(JsonNode::asText).containsExactly("127.0.0.0/8", "10.20.0.0/16", "bms.site.local");
        }

        Run oauth = run("connections", "add", "--tenant", tenant, "--name", "vendor", "--kind", "oauth2", "--base-url", "https://api.vendor.example",
                "--config", "{\"authorize_url\":\"https://id.vendor.example/authorize\",\"token_url\":\"https://id.vendor.example/token\",\"client_id\":\"airotech\",\"scopes\":[\"read\"]}",
                "--data-dir", d);
        assertThat(oauth.code()).as(oauth.err()).isZero();
        Run consent = run("connections", "authorize", "--tenant", tenant, oauth.json().get("connection_id").asText(), "--http-port", "8470", "--data-dir", d);
        assertThat(consent.json().get("authorize_url").asText()).startsWith("https://id.vendor.example/authorize?response_type=code&client_id=airotech")
                .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8470%2Foauth2%2Fcallback").contains("scope=read").contains("&state=");

        // beside a running gateway on this directory, the consent comes back to that gateway's port
        String vendor = oauth.json().get("connection_id").asText();
        int port;
        try (TestGateway gw = TestGateway.start(com.airotech.connect.app.Config.defaults(dir).withPorts(0, -1))) {
            port = gw.port();
            Run beside = run("connections", "authorize", "--tenant", tenant, vendor, "--data-dir", d);
            assertThat(beside.code()).as(beside.err()).isZero();
            assertThat(beside.json().get("authorize_url").asText()).contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A" + port + "%2Foauth2%2Fcallback");
        }
        // once it stopped, the default again
        Run after = run("connections", "authorize", "--tenant", tenant, vendor, "--data-dir", d);
        assertThat(after.json().get("authorize_url").asText()).contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8470%2Foauth2%2Fcallback")
                .doesNotContain("%3A" + port + "%2F");
    }
}
