package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.Main;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.FakeAws;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.FakeOAuthServer;
import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TestCa;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kind taken through its life — wrong material, right material, rotation, probes, consent,
 * refresh, revocation, role assumption — and then every place material could escape is searched:
 * the log, every HTTP answer (errors included), the audit trail, the command line's listings, and
 * the database files' bytes (with WAL).
 */
class ConnectionLeakIT {
    @Test
    void noMaterialReachesLogsAnswersAuditListingsOrTheDatabaseInClear() throws Exception {
        List<String> material = new ArrayList<>();
        StringBuilder answers = new StringBuilder();
        ManualClock clock = ManualClock.startingNow();
        FakeAws aws = new FakeAws();
        aws.useThroughSystemProperties("arn:aws:iam::" + FakeAws.PLATFORM_ACCOUNT + ":role/platform");
        try (LogCapture logs = new LogCapture();
             TestGateway gw = TestGateway.start(clock);
             FakeBms bms = FakeBms.http();
             FakeOAuthServer vendor = new FakeOAuthServer()) {
            TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("leaky"));
            java.util.function.BiFunction<String, String, TestGateway.Response> post = (path, json) -> {
                TestGateway.Response r = gw.postJson(t.token(), path, json);
                answers.append(r.raw()).append('\n');
                return r;
            };

            // basic, with a wrong password first, then a rotation
            String pw1 = "basic-" + UUID.randomUUID();
            String pw2 = "basic-" + UUID.randomUUID();
            String wrong = "basic-" + UUID.randomUUID();
            material.addAll(List.of(pw1, pw2, wrong, b64("site:" + pw1), b64("site:" + pw2), b64("site:" + wrong)));
            bms.validBasic.add(FakeBms.basic("site", pw1));
            bms.validBasic.add(FakeBms.basic("site", pw2));
            String basic = post.apply("/api/connections", "{\"name\":\"bms\",\"kind\":\"basic\",\"base_url\":\"" + bms.baseUrl() + "\",\"probe_path\":\"/health\"}").text("connection_id");
            post.apply("/api/connections/" + basic + "/credential", Json.write(Json.object().put("username", "site").put("password", wrong)));
            post.apply("/api/connections/" + basic + "/credential", Json.write(Json.object().put("username", "site").put("password", pw1)));
            post.apply("/api/connections/" + basic + "/credential", Json.write(Json.object().put("username", "site").put("password", pw2)));
            post.apply("/api/connections/" + basic + "/probe", "{}");
            post.apply("/api/connections/" + basic + "/call", "{\"path\":\"/health\"}");

            // api_key in a query parameter, against a host that refuses: the URL with the key must not be echoed
            String key = "key-" + UUID.randomUUID();
            material.add(key);
            String apiKey = post.apply("/api/connections", "{\"name\":\"saas\",\"kind\":\"api_key\",\"base_url\":\"http://127.0.0.1:9\",\"config\":{\"query_param\":\"key\"}}").text("connection_id");
            post.apply("/api/connections/" + apiKey + "/credential", Json.write(Json.object().put("api_key", key)));

            // mtls with a wrong and then no reachable server
            TestCa ca = new TestCa("leak CA");
            String[] p12 = ca.client("leak-client").p12();
            material.add(p12[1]);
            material.add(p12[0].substring(0, 64));
            String mtls = post.apply("/api/connections", Json.write(Json.object().put("name", "gw").put("kind", "mtls").put("base_url", "https://127.0.0.1:9")
                    .set("config", Json.object().put("ca_pem", ca.pem())))).text("connection_id");
            post.apply("/api/connections/" + mtls + "/credential", Json.write(Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", "nope-" + p12[1])));
            post.apply("/api/connections/" + mtls + "/credential", Json.write(Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", p12[1])));

            // oauth2: secret, consent, refresh, revocation, reauth_required
            material.add(vendor.clientSecret);
            ObjectNode cfg = Json.object().put("authorize_url", vendor.url("/authorize")).put("token_url", vendor.url("/token")).put("client_id", vendor.clientId);
            String oauth = post.apply("/api/connections", Json.write(Json.object().put("name", "vendor").put("kind", "oauth2")
                    .put("base_url", vendor.url("")).put("probe_path", "/api/me").set("config", cfg))).text("connection_id");
            post.apply("/api/connections/" + oauth + "/credential", Json.write(Json.object().put("client_secret", vendor.clientSecret)));
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String url = gw.get(t.token(), "/api/connections/" + oauth + "/authorize").text("authorize_url");
            String callback = browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
            answers.append(browser.send(HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString()).body()).append('\n');
            answers.append(browser.send(HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString()).body()).append('\n');
            clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 10));
            post.apply("/api/connections/" + oauth + "/call", "{\"path\":\"/api/me\"}");
            vendor.revokeAll();
            clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 10));
            post.apply("/api/connections/" + oauth + "/call", "{\"path\":\"/api/me\"}");
            post.apply("/api/connections/" + oauth + "/probe", "{}");
            material.addAll(vendor.accessTokens());
            material.addAll(vendor.issuedRefreshTokens);

            // aws_iam: the assumed credentials exist only in memory
            var created = post.apply("/api/connections", "{\"name\":\"acct\",\"kind\":\"aws_iam\",\"config\":{\"region\":\"us-east-1\"}}");
            String role = "arn:aws:iam::123456789012:role/leak";
            aws.roles.put(role, created.text("external_id"));
            post.apply("/api/connections/" + created.text("connection_id") + "/credential", "{\"role_arn\":\"" + role + "\"}");
            gw.platform.connections().awsCredentials(t.principal(), created.text("connection_id")).resolveCredentials();
            material.addAll(aws.sessionMaterial());
            material.add(aws.secretAccessKey);

            answers.append(gw.get(t.token(), "/api/connections").raw()).append('\n');
            for (String id : List.of(basic, apiKey, mtls, oauth)) answers.append(gw.get(t.token(), "/api/connections/" + id).raw()).append('\n');
            String audit = gw.get(t.token(), "/api/audit?limit=1000").raw();
            assertThat(audit).contains("connection.credential_committed").contains("connection.reauth_required");

            ByteArrayOutputStream cli = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(cli, true));
            try {
                Main.run("connections", "list", "--tenant", t.tenantId(), "--data-dir", gw.dataDir.toString());
            } finally {
                System.setOut(stdout);
            }
            assertThat(cli.toString()).contains(basic);

            byte[] db = databaseBytes(gw.dataDir);
            String dbText = new String(db, StandardCharsets.ISO_8859_1);
            assertThat(material).hasSizeGreaterThan(15);
            for (String m : material) {
                assertThat(logs.text()).as("log").doesNotContain(m);
                assertThat(answers).as("HTTP answers").doesNotContain(m);
                assertThat(audit).as("audit").doesNotContain(m);
                assertThat(cli.toString()).as("command line").doesNotContain(m);
                assertThat(dbText).as("database bytes").doesNotContain(m);
            }
            assertThat(logs.text()).contains("needs consent again"); // the capture did see the product's log
        } finally {
            aws.close();
            FakeAws.clearSystemProperties();
        }
    }

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    static byte[] databaseBytes(Path dir) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("airotech.db")).toList()) all.write(Files.readAllBytes(p));
        }
        return all.toByteArray();
    }
}
