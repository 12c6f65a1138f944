package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.TestCa;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Building-management gateways over Basic, mTLS and API keys, through the gateway's API. */
class BmsConnectionIT {
    static TestGateway gw;
    static TestCa ca;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        ca = new TestCa("Site BMS CA " + UUID.randomUUID());
    }

    @AfterAll
    static void stop() { gw.close(); }

    static String create(TestGateway.TenantHandle t, String kind, String baseUrl, String probePath, ObjectNode config) {
        ObjectNode body = Json.object().put("name", kind + "-" + UUID.randomUUID().toString().substring(0, 8)).put("kind", kind)
                .put("base_url", baseUrl).put("probe_path", probePath);
        if (config != null) body.set("config", config);
        TestGateway.Response r = gw.postJson(t.token(), "/api/connections", Json.write(body));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.text("status")).isEqualTo("pending");
        return r.text("connection_id");
    }

    static TestGateway.Response credential(TestGateway.TenantHandle t, String id, ObjectNode material) {
        return gw.postJson(t.token(), "/api/connections/" + id + "/credential", Json.write(material));
    }

    static ObjectNode basic(String user, String password) { return Json.object().put("username", user).put("password", password); }

    static String password() { return "pw-" + UUID.randomUUID(); }

    @Test
    void basicConnectionGoesHealthyThroughItsProbeAndShowsNoMaterial() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-basic-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String pw = password();
            bms.validBasic.add(FakeBms.basic("site", pw));
            String id = create(t, "basic", bms.baseUrl(), "/health", null);

            // before any material: the probe could not run, which is one of the three probe answers
            TestGateway.Response early = gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}");
            assertThat(early.status()).isEqualTo(200);
            assertThat(early.text("status")).isEqualTo("unhealthy");
            assertThat(early.text("detail")).containsIgnoringCase("credential");
            assertThat(gw.get(t.token(), "/api/connections/" + id).text("status")).as("the connection still waits for material").isEqualTo("pending");
            assertThat(bms.seen).as("nothing was sent without material").isEmpty();

            TestGateway.Response ok = credential(t, id, basic("site", pw));
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            assertThat(ok.text("status")).isEqualTo("healthy");
            assertThat(bms.seen).anyMatch(s -> s.path().equals("/health") && FakeBms.basic("site", pw).equals(s.authorization()));

            TestGateway.Response probe = gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}");
            assertThat(probe.text("status")).isEqualTo("healthy");
            assertThat(probe.text("detail")).contains("HTTP 200 from GET /health");

            TestGateway.Response shown = gw.get(t.token(), "/api/connections/" + id);
            assertThat(shown.text("status")).isEqualTo("healthy");
            assertThat(shown.json().get("has_credential").asBoolean()).isTrue();
            assertThat(shown.raw()).doesNotContain(pw).doesNotContain(FakeBms.basic("site", pw).substring(6));
        }
    }

    @Test
    void aFailingProbeKeepsThePreviousMaterialInForceAndAnswersProbeFailed() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-rot-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String first = password();
            String second = password();
            bms.validBasic.add(FakeBms.basic("site", first));
            String id = create(t, "basic", bms.baseUrl(), "/health", null);
            assertThat(credential(t, id, basic("site", first)).status()).isEqualTo(200);

            TestGateway.Response refused = credential(t, id, basic("site", second));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.error()).isEqualTo("probe_failed");
            assertThat(refused.json().get("message").asText()).contains("previous one stays in force").contains("HTTP 401").doesNotContain(second);
            assertThat(bms.seen).anyMatch(s -> FakeBms.basic("site", second).equals(s.authorization()));

            bms.seen.clear();
            TestGateway.Response probe = gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}");
            assertThat(probe.text("status")).isEqualTo("healthy");
            assertThat(bms.seen).allMatch(s -> FakeBms.basic("site", first).equals(s.authorization()));

            bms.validBasic.add(FakeBms.basic("site", second));
            assertThat(credential(t, id, basic("site", second)).text("status")).isEqualTo("healthy");
            bms.validBasic.remove(FakeBms.basic("site", first));
            assertThat(gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}").text("status")).isEqualTo("healthy");

            JsonNode audit = gw.get(t.token(), "/api/audit?target=" + id).json().get("entries");
            assertThat(audit).extracting(e -> e.get("action").asText()).containsExactly("connection.created",
                    "connection.credential_staged", "connection.credential_committed",
                    "connection.credential_staged", "connection.credential_rejected",
                    "connection.credential_staged", "connection.credential_committed");
            assertThat(audit.get(6).get("detail").get("previous_version").asInt()).isEqualTo(1);
            assertThat(audit.toString()).doesNotContain(first).doesNotContain(second);
        }
    }

    @Test
    void aRequestInFlightFinishesOnTheMaterialItStartedWith() throws Exception {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-flight-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String first = password();
            String second = password();
            bms.validBasic.add(FakeBms.basic("site", first));
            bms.validBasic.add(FakeBms.basic("site", second));
            String id = create(t, "basic", bms.baseUrl(), "/health", null);
            assertThat(credential(t, id, basic("site", first)).status()).isEqualTo(200);

            Principal p = t.principal();
            CompletableFuture<OutboundResponse> slow = CompletableFuture.supplyAsync(
                    () -> gw.platform.connections().send(p, id, OutboundRequest.get("/slow")));
            assertThat(bms.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(credential(t, id, basic("site", second)).text("status")).isEqualTo("healthy");
            bms.slowGate.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

            assertThat(bms.seen).filteredOn(s -> s.path().equals("/slow")).singleElement()
                    .extracting(FakeBms.Seen::authorization).isEqualTo(FakeBms.basic("site", first));
            bms.seen.clear();
            gw.platform.connections().send(p, id, OutboundRequest.get("/health"));
            assertThat(bms.seen).singleElement().extracting(FakeBms.Seen::authorization).isEqualTo(FakeBms.basic("site", second));
        }
    }

    @Test
    void mtlsConnectionPresentsItsClientCertificateAndTrustsOnlyTheConfiguredCa() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-mtls-" + UUID.randomUUID().toString().substring(0, 6)));
        TestCa.Issued serverCert = ca.server(List.of("localhost"), List.of("127.0.0.1"));
        TestCa.Issued client = ca.client("airotech-test-client");
        try (FakeBms bms = FakeBms.mtls(serverCert, ca.cert)) {
            String id = create(t, "mtls", bms.baseUrl(), "/health", Json.object().put("ca_pem", ca.pem()));
            String[] p12 = client.p12();
            TestGateway.Response ok = credential(t, id, Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", p12[1]));
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            assertThat(ok.text("status")).isEqualTo("healthy");
            assertThat(bms.seen).anyMatch(s -> "CN=airotech-test-client".equals(s.clientSubject()));
            assertThat(gw.get(t.token(), "/api/connections/" + id).raw()).doesNotContain(p12[1]).doesNotContain(p12[0].substring(0, 40));

            // without the site's CA the server is not trusted, whatever the client certificate
            String untrusted = create(t, "mtls", bms.baseUrl(), "/health", null);
            TestGateway.Response refused = credential(t, untrusted, Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", p12[1]));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().get("message").asText()).contains("TLS handshake").contains("ca_pem");
        }
    }

    @Test
    void mtlsVerifiesTheServersHostName() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-host-" + UUID.randomUUID().toString().substring(0, 6)));
        TestCa.Issued wrongName = ca.server(List.of("bms.elsewhere.example"), List.of());
        String[] p12 = ca.client("airotech-test-client").p12();
        try (FakeBms bms = FakeBms.mtls(wrongName, ca.cert)) {
            String id = create(t, "mtls", bms.baseUrl(), "/health", Json.object().put("ca_pem", ca.pem()));
            TestGateway.Response refused = credential(t, id, Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", p12[1]));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().get("message").asText()).contains("TLS handshake").contains("names this host");
            assertThat(bms.seen).isEmpty();
        }
    }

    @Test
    void aWrongPkcs12PasswordIsRefusedWithoutEchoingIt() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-p12-" + UUID.randomUUID().toString().substring(0, 6)));
        String[] p12 = ca.client("airotech-test-client").p12();
        String id = create(t, "mtls", "https://127.0.0.1:9", "/health", Json.object().put("ca_pem", ca.pem()));
        String wrong = "wrong-" + UUID.randomUUID();
        TestGateway.Response r = credential(t, id, Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", wrong));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).contains("does not open").doesNotContain(wrong);
    }

    @Test
    void apiKeyGoesInTheConfiguredHeaderOrQueryParameter() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-key-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String key = "key-" + UUID.randomUUID();
            bms.validKeys.add(key);
            String inHeader = create(t, "api_key", bms.baseUrl(), "/health", Json.object().put("header", "X-Api-Key"));
            assertThat(credential(t, inHeader, Json.object().put("api_key", key)).text("status")).isEqualTo("healthy");
            assertThat(bms.seen).anyMatch(s -> key.equals(s.apiKey()) && s.query() == null);

            bms.seen.clear();
            String inQuery = create(t, "api_key", bms.baseUrl(), "/health?probe=1", Json.object().put("query_param", "key"));
            assertThat(credential(t, inQuery, Json.object().put("api_key", key)).text("status")).isEqualTo("healthy");
            assertThat(bms.seen).singleElement().satisfies(s -> {
                assertThat(s.apiKey()).isNull();
                assertThat(s.query()).isEqualTo("probe=1&key=" + key);
            });
        }
    }

    @Test
    void theAddressPolicyRefusesUnlistedAddressesAndSaysHowToAllowThem() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-policy-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String pw = password();
            bms.validBasic.add(FakeBms.basic("site", pw));
            String id = create(t, "basic", bms.baseUrl(), "/health", null);
            assertThat(credential(t, id, basic("site", pw)).text("status")).isEqualTo("healthy");

            gw.platform.connections().changePolicy(Principal.local(t.tenantId()), List.of("10.20.0.0/16"), List.of("127.0.0.0/8", "::1/128"), false);
            assertThat(gw.get(t.token(), "/api/outbound-policy").json().get("allowed_targets")).extracting(JsonNode::asText).containsExactly("10.20.0.0/16");
            bms.seen.clear();
            TestGateway.Response probe = gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}");
            assertThat(probe.text("status")).isEqualTo("unhealthy");
            assertThat(probe.text("detail")).contains("127.0.0.1").contains("not in this tenant's allowed networks")
                    .contains("connections policy --tenant " + t.tenantId() + " --allow 127.0.0.1/32");
            assertThat(bms.seen).isEmpty();
            assertThat(gw.get(t.token(), "/api/connections/" + id).text("status")).isEqualTo("unhealthy");

            // a reset is the default: nothing allowed
            gw.platform.connections().changePolicy(Principal.local(t.tenantId()), null, null, true);
            assertThat(gw.get(t.token(), "/api/outbound-policy").json().get("allowed_targets")).isEmpty();
            assertThat(gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}").text("detail")).contains("allows no targets yet");
            gw.allowLoopback(t);
            assertThat(gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}").text("status")).isEqualTo("healthy");
        }
    }

    @Test
    void redirectsAreFollowedWithinTheSameOriginOnlyAndRecheckedByThePolicy() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-redirect-" + UUID.randomUUID().toString().substring(0, 6)));
        try (FakeBms bms = FakeBms.http()) {
            String pw = password();
            bms.validBasic.add(FakeBms.basic("site", pw));
            String hop = create(t, "basic", bms.baseUrl(), "/hop", null);
            assertThat(credential(t, hop, basic("site", pw)).text("status")).isEqualTo("healthy");
            assertThat(bms.seen).extracting(FakeBms.Seen::path).containsExactly("/hop", "/health");

            bms.seen.clear();
            String moved = create(t, "basic", bms.baseUrl(), "/moved", null);
            TestGateway.Response refused = credential(t, moved, basic("site", pw));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().get("message").asText()).contains("redirected to another origin (http://localhost:" + bms.port() + ")");
            assertThat(bms.seen).extracting(FakeBms.Seen::path).containsExactly("/moved");
        }
    }

    @Test
    void anotherTenantsConnectionIsNotFound() {
        TestGateway.TenantHandle a = gw.allowLoopback(gw.tenant("bms-a-" + UUID.randomUUID().toString().substring(0, 6)));
        TestGateway.TenantHandle b = gw.allowLoopback(gw.tenant("bms-b-" + UUID.randomUUID().toString().substring(0, 6)));
        String id = create(a, "none", "http://127.0.0.1:9", "/", null);
        assertThat(gw.get(b.token(), "/api/connections/" + id).status()).isEqualTo(404);
        assertThat(gw.postJson(b.token(), "/api/connections/" + id + "/probe", "{}").status()).isEqualTo(404);
        assertThat(gw.get(b.token(), "/api/connections").json().get("connections")).isEmpty();
    }

    @Test
    void configThatLooksLikeMaterialIsRefused() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bms-cfg-" + UUID.randomUUID().toString().substring(0, 6)));
        TestGateway.Response r = gw.postJson(t.token(), "/api/connections",
                "{\"name\":\"x\",\"kind\":\"basic\",\"base_url\":\"http://127.0.0.1:9\",\"config\":{\"password\":\"hunter2\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("config.password").contains("looks like material").doesNotContain("hunter2");
    }
}
