package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.Recorder;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13, items 3, 5, 6 and 7: what a tenant's connections may reach, and what never leaks on the way. */
class OutboundPolicyIT {
    static TestGateway gw;

    @BeforeAll
    static void start() { gw = TestGateway.start(); }

    @AfterAll
    static void stop() { gw.close(); }

    static TestGateway.TenantHandle tenant(String prefix) { return gw.tenant(prefix + "-" + UUID.randomUUID().toString().substring(0, 6)); }

    static void allow(TestGateway.TenantHandle t, String... rules) {
        gw.platform.connections().changePolicy(Principal.local(t.tenantId()), List.of(rules), null, false);
    }

    static String create(TestGateway.TenantHandle t, String kind, String baseUrl, String probePath, ObjectNode config) {
        ObjectNode body = Json.object().put("name", kind + "-" + UUID.randomUUID().toString().substring(0, 8)).put("kind", kind)
                .put("base_url", baseUrl).put("probe_path", probePath);
        if (config != null) body.set("config", config);
        TestGateway.Response r = gw.postJson(t.token(), "/api/connections", Json.write(body));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("connection_id");
    }

    static TestGateway.Response probe(TestGateway.TenantHandle t, String id) {
        return gw.postJson(t.token(), "/api/connections/" + id + "/probe", "{}");
    }

    @Test
    void aNewTenantReachesNothingUntilTheOperatorAllowsIt() {
        TestGateway.TenantHandle t = tenant("deny");
        try (Recorder bms = Recorder.ok("127.0.0.1")) {
            assertThat(gw.get(t.token(), "/api/outbound-policy").json().get("allowed_targets")).isEmpty();
            String id = create(t, "none", bms.url(""), "/health", null);
            TestGateway.Response refused = probe(t, id);
            assertThat(refused.text("status")).isEqualTo("unhealthy");
            assertThat(refused.text("detail")).contains("127.0.0.1").contains("connections policy --tenant " + t.tenantId() + " --allow 127.0.0.1/32");
            assertThat(bms.seen).isEmpty();

            allow(t, "127.0.0.0/8");
            TestGateway.Response allowed = probe(t, id);
            assertThat(allowed.text("status")).as(allowed.raw()).isEqualTo("healthy");
            assertThat(bms.seen).hasSize(1);
        }
    }

    @Test
    void callsReuseAKeptAliveConnectionButAPolicyChangeAppliesToTheVeryNextCall() {
        TestGateway.TenantHandle t = tenant("keepalive");
        try (Recorder bms = Recorder.ok("127.0.0.1")) {
            allow(t, "127.0.0.0/8");
            String id = create(t, "none", bms.url(""), "/health", null);
            for (int i = 0; i < 20; i++) assertThat(call(t, id, "/r" + i).status()).isEqualTo(200);
            assertThat(bms.seen).hasSize(20);
            assertThat(bms.seen.stream().map(Recorder.Seen::clientPort).distinct()).as("one kept-alive connection").hasSize(1);

            // the operator takes loopback away: the open connection was checked under the old policy, so it is not used again
            gw.platform.connections().changePolicy(Principal.local(t.tenantId()), null, List.of("127.0.0.0/8"), false);
            TestGateway.Response refused = call(t, id, "/after-change");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.raw()).contains("address_refused");
            assertThat(bms.seen).hasSize(20);

            // allowed again (another rule, so another policy): a new connection, checked when it opens
            allow(t, "127.0.0.1/32");
            assertThat(call(t, id, "/allowed-again").status()).isEqualTo(200);
            assertThat(bms.seen).hasSize(21);
            assertThat(bms.seen.get(20).clientPort()).isNotEqualTo(bms.seen.get(0).clientPort());
        }
    }

    @Test
    void aRedirectThatWouldTurnAPostIntoAGetIsReturnedNotFollowed() {
        TestGateway.TenantHandle t = tenant("post-redirect");
        try (Recorder bms = new Recorder("127.0.0.1", 0, s -> s.path().equals("/post") ? new Recorder.Answer(302, "/landing") : Recorder.Answer.ok())) {
            allow(t, "127.0.0.0/8");
            String id = create(t, "none", bms.url(""), "/health", null);
            TestGateway.Response r = gw.postJson(t.token(), "/api/connections/" + id + "/call",
                    "{\"method\":\"POST\",\"path\":\"/post\",\"body\":\"{}\"}");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.json().get("status").asInt()).isEqualTo(302);
            assertThat(bms.seen).extracting(Recorder.Seen::requestLine).containsExactly("POST /post");
        }
    }

    private static TestGateway.Response call(TestGateway.TenantHandle t, String id, String path) {
        return gw.postJson(t.token(), "/api/connections/" + id + "/call", "{\"method\":\"GET\",\"path\":\"" + path + "\"}");
    }

    @Test
    void theGatewaysOwnListenersAreNeverReachedWhateverThePolicyAllows() {
        TestGateway.TenantHandle t = tenant("self");
        allow(t, "0.0.0.0/0", "::/0", "localhost");
        for (String base : List.of("http://127.0.0.1:" + gw.port(), "http://localhost:" + gw.port())) {
            String id = create(t, "none", base, "/metrics", null);
            TestGateway.Response r = probe(t, id);
            assertThat(r.text("status")).as(base).isEqualTo("unhealthy");
            assertThat(r.text("detail")).as(base).contains("this gateway's own listener").doesNotContain("airotech_");
        }
        TestGateway.Response call = gw.postJson(t.token(), "/api/connections/" + create(t, "none", "http://127.0.0.1:" + gw.port(), "/metrics", null)
                + "/call", "{\"method\":\"GET\",\"path\":\"/metrics\"}");
        assertThat(call.status()).isEqualTo(422);
        assertThat(call.raw()).doesNotContain("airotech_").contains("address_refused");
    }

    @Test
    void aRedirectToAnotherPortOfTheSameHostIsRefusedAndTheCredentialStaysHome() {
        TestGateway.TenantHandle t = tenant("origin");
        allow(t, "127.0.0.0/8");
        try (Recorder other = Recorder.ok("127.0.0.1");
             Recorder first = new Recorder("127.0.0.1", 0, s -> Recorder.Answer.redirect(other.url("/steal")))) {
            String id = create(t, "basic", first.url(""), "/health", null);
            TestGateway.Response r = gw.postJson(t.token(), "/api/connections/" + id + "/credential",
                    Json.write(Json.object().put("username", "site").put("password", "pw-" + UUID.randomUUID())));
            assertThat(r.status()).as(r.raw()).isEqualTo(422);
            assertThat(r.json().get("message").asText()).contains("another origin");
            assertThat(first.seen).hasSize(1);
            assertThat(other.seen).as("the other port never saw the credential").isEmpty();
        }
    }

    /**
     * The JDK's default proxy selector never proxies loopback literals or localhost, but it does proxy
     * any other name; here a site name (resolved to loopback by the test's DNS) with JVM proxy settings.
     */
    @Test
    void jvmProxySettingsNeverCarryAConnectionsRequests() {
        TestGateway.TenantHandle t = tenant("proxy");
        allow(t, "127.0.0.0/8");
        String[] keys = {"http.proxyHost", "http.proxyPort", "https.proxyHost", "https.proxyPort", "http.nonProxyHosts"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) saved[i] = System.getProperty(keys[i]);
        try (Recorder proxy = Recorder.ok("127.0.0.1"); Recorder bms = Recorder.ok("127.0.0.1")) {
            gw.platform.connections().useNames(host -> List.of(java.net.InetAddress.getByName("127.0.0.1")));
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(proxy.port()));
            System.setProperty("https.proxyHost", "127.0.0.1");
            System.setProperty("https.proxyPort", Integer.toString(proxy.port()));
            System.setProperty("http.nonProxyHosts", "nothing.invalid");
            assertThat(java.net.ProxySelector.getDefault().select(java.net.URI.create("http://bms.proxied.test/")).get(0).type())
                    .as("the JVM would proxy this name").isEqualTo(java.net.Proxy.Type.HTTP);
            String id = create(t, "none", "http://bms.proxied.test:" + bms.port(), "/health", null);
            TestGateway.Response direct = probe(t, id);
            assertThat(direct.text("status")).as(direct.raw()).isEqualTo("healthy");
            assertThat(bms.seen).hasSize(1);
            assertThat(proxy.seen).as("the proxy saw nothing").isEmpty();
        } finally {
            gw.platform.connections().useNames(null);
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) System.clearProperty(keys[i]); else System.setProperty(keys[i], saved[i]);
            }
        }
    }

    @Test
    void anApiKeyThatCannotBeAHeaderIsRefusedOnEntryAndNeverLogged() {
        TestGateway.TenantHandle t = tenant("ascii");
        allow(t, "127.0.0.0/8");
        try (FakeBms bms = FakeBms.http(); LogCapture log = new LogCapture()) {
            String id = create(t, "api_key", bms.baseUrl(), "/health", null);
            String key = "key-\u2713-" + UUID.randomUUID();
            TestGateway.Response r = gw.postJson(t.token(), "/api/connections/" + id + "/credential", Json.write(Json.object().put("api_key", key)));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("invalid_request");
            assertThat(r.json().get("message").asText()).contains("'api_key'").contains("ASCII").doesNotContain(key);
            assertThat(log.text()).doesNotContain(key).doesNotContain(key.substring(6));
            // nothing was staged: the connection still waits for its first credential
            assertThat(gw.get(t.token(), "/api/connections/" + id).json().get("has_credential").asBoolean()).isFalse();
            assertThat(gw.get(t.token(), "/api/audit?action=connection.credential_staged").json().get("entries")).isEmpty();
            assertThat(bms.seen).isEmpty();
        }
    }

    @Test
    void aCallHeaderThatCannotBeSentIsRefusedWithoutEchoingIt() {
        TestGateway.TenantHandle t = tenant("hdr");
        allow(t, "127.0.0.0/8");
        try (FakeBms bms = FakeBms.http(); LogCapture log = new LogCapture()) {
            String id = create(t, "none", bms.baseUrl(), "/health", null);
            String value = "v\u0101lue-" + UUID.randomUUID();
            TestGateway.Response r = gw.postJson(t.token(), "/api/connections/" + id + "/call",
                    Json.write(Json.object().put("method", "GET").put("path", "/health").set("headers", Json.object().put("X-Thing", value))));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.raw()).contains("X-Thing").doesNotContain(value);
            assertThat(log.text()).doesNotContain(value);
            assertThat(bms.seen).isEmpty();
        }
    }

    /** A server that drips its answer cannot hold a call (or a delivery attempt) past twice its timeout. */
    @Test
    void aServerThatDripsItsAnswerIsGivenUpAfterTwiceTheTimeout() throws Exception {
        TestGateway.TenantHandle t = tenant("drip");
        allow(t, "127.0.0.0/8");
        java.util.concurrent.ScheduledExecutorService pace = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicReference<java.net.Socket> accepted = new java.util.concurrent.atomic.AtomicReference<>();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            // the misbehaving server: accepts, sends its headers, then one byte of the body every 200 ms until the client hangs up
            pace.execute(() -> {
                try {
                    java.net.Socket s = server.accept();
                    accepted.set(s);
                    s.getInputStream().read(new byte[4096]);
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    pace.scheduleAtFixedRate(() -> {
                        try {
                            out.write('x');
                            out.flush();
                        } catch (java.io.IOException hungUp) {
                            throw new java.io.UncheckedIOException(hungUp); // ends the drip: what the test expects
                        }
                    }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String id = create(t, "none", "http://127.0.0.1:" + server.getLocalPort(), "/slow", Json.object().put("timeout_seconds", 1));
            TestGateway.Response r = gw.postJson(t.token(), "/api/connections/" + id + "/call", "{\"method\":\"GET\",\"path\":\"/slow\"}");
            assertThat(r.status()).as(r.raw()).isEqualTo(502);
            assertThat(r.raw()).contains("did not finish its answer within 2 s");
        } finally {
            pace.shutdownNow();
            java.net.Socket s = accepted.get();
            if (s != null) s.close();
        }
    }
}
