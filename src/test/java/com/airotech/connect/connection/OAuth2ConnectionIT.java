package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.FakeOAuthServer;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** oauth2 connections against a vendor's authorization server on loopback. */
class OAuth2ConnectionIT {
    ManualClock clock;
    TestGateway gw;
    FakeOAuthServer vendor;
    TestGateway.TenantHandle tenant;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        gw = TestGateway.start(clock);
        vendor = new FakeOAuthServer();
        tenant = gw.allowLoopback(gw.tenant("oauth-" + UUID.randomUUID().toString().substring(0, 6)));
    }

    @AfterEach
    void stop() {
        gw.close();
        vendor.close();
    }

    String createConnection(String grant) {
        ObjectNode cfg = Json.object().put("token_url", vendor.url("/token")).put("client_id", vendor.clientId).put("grant_type", grant);
        if (grant.equals("authorization_code")) cfg.put("authorize_url", vendor.url("/authorize"));
        cfg.putArray("scopes").add("points.read").add("alarms.write");
        ObjectNode body = Json.object().put("name", "saas-" + UUID.randomUUID().toString().substring(0, 6)).put("kind", "oauth2")
                .put("base_url", vendor.url("")).put("probe_path", "/api/me");
        body.set("config", cfg);
        TestGateway.Response r = gw.postJson(tenant.token(), "/api/connections", Json.write(body));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("connection_id");
    }

    String connected() {
        String id = createConnection("authorization_code");
        TestGateway.Response secret = gw.postJson(tenant.token(), "/api/connections/" + id + "/credential",
                Json.write(Json.object().put("client_secret", vendor.clientSecret)));
        assertThat(secret.status()).as(secret.raw()).isEqualTo(200);
        assertThat(secret.text("status")).isEqualTo("pending");
        HttpResponse<String> done = consent(id);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return id;
    }

    /** What a browser does: open the consent URL, follow the vendor's redirect to the gateway's callback. */
    HttpResponse<String> consent(String id) {
        String url = gw.get(tenant.token(), "/api/connections/" + id + "/authorize").text("authorize_url");
        HttpResponse<String> atVendor = browse(url);
        assertThat(atVendor.statusCode()).isEqualTo(302);
        return browse(atVendor.headers().firstValue("Location").orElseThrow());
    }

    HttpResponse<String> browse(String url) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    OutboundResponse callApi(String id) { return gw.platform.connections().send(tenant.principal(), id, OutboundRequest.get("/api/me")); }

    /** Issue 13, item 12: HEAD must not act, so it must not create a consent state. */
    @Test
    void aHeadOfTheConsentUrlCreatesNoStateAndIsRefused() {
        String id = createConnection("authorization_code");
        TestGateway.Response head = gw.send(gw.admin(tenant.token(), "/api/connections/" + id + "/authorize")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow").orElse("")).contains("GET").doesNotContain("HEAD");
        long states = gw.platform.database().read(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM oauth_states"); var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        });
        assertThat(states).isZero();
        // a GET still gives one
        assertThat(gw.get(tenant.token(), "/api/connections/" + id + "/authorize").status()).isEqualTo(200);
    }

    @Test
    void consentWithPkceAndStateMakesTheConnectionHealthy() {
        String id = createConnection("authorization_code");
        gw.postJson(tenant.token(), "/api/connections/" + id + "/credential", Json.write(Json.object().put("client_secret", vendor.clientSecret)));
        String url = gw.get(tenant.token(), "/api/connections/" + id + "/authorize").text("authorize_url");
        assertThat(url).startsWith(vendor.url("/authorize?")).contains("scope=points.read+alarms.write").contains("code_challenge_method=S256")
                .contains("redirect_uri=" + java.net.URLEncoder.encode("http://127.0.0.1:" + gw.port() + "/oauth2/callback", java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> atVendor = browse(url);
        String callback = atVendor.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> done = browse(callback);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(Json.tree(done.body()).get("status").asText()).isEqualTo("healthy");
        assertThat(vendor.codeExchanges.get()).isEqualTo(1);
        assertThat(vendor.authorizeRequests.get(0).get("code_challenge")).hasSize(43);
        assertThat(gw.get(tenant.token(), "/api/connections/" + id).text("status")).isEqualTo("healthy");

        // the state was used: a replayed callback exchanges nothing
        HttpResponse<String> replay = browse(callback);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(Json.tree(replay.body()).get("error").asText()).isEqualTo("invalid_request");
        HttpResponse<String> forged = browse("http://127.0.0.1:" + gw.port() + "/oauth2/callback?code=x&state=" + UUID.randomUUID());
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(vendor.tokenRequests.get()).isEqualTo(1);
        assertThat(callApi(id).status()).isEqualTo(200);
    }

    @Test
    void sixteenConcurrentCallsOnAnExpiringTokenRunExactlyOneRefresh() throws Exception {
        String id = connected();
        String firstRefresh = List.copyOf(vendor.refreshTokens()).get(0);
        clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 30)); // inside the refresh window, not yet expired
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<OutboundResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return callApi(id);
                }));
            }
            go.countDown();
            for (Future<OutboundResponse> f : calls) assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(vendor.refreshes.get()).isEqualTo(1);
        assertThat(vendor.refusedRefreshes.get()).isZero();
        assertThat(vendor.isLiveRefreshToken(firstRefresh)).as("the vendor rotated the refresh token on use").isFalse();
        assertThat(gw.get(tenant.token(), "/api/connections/" + id).text("status")).isEqualTo("healthy");
    }

    @Test
    void aRevokedGrantMarksReauthRequiredFailsFastAndRecoversAfterNewConsent() {
        String id = connected();
        vendor.revokeAll();
        clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 10));

        assertThatThrownBy(() -> callApi(id)).isInstanceOfSatisfying(ConnectionFailure.class, f -> {
            assertThat(f.code()).isEqualTo("reauth_required");
            assertThat(f.getMessage()).contains("invalid_grant").doesNotContain("/api/");
            // the outcome is typed: each front end words the step (the API names its consent URL)
            assertThat(f.need()).isInstanceOfSatisfying(Detail.NeedsConsentAgain.class, n -> assertThat(n.reason()).contains("invalid_grant"));
            assertThat(com.airotech.connect.wire.ConnectionJson.error(f).getMessage()).contains("invalid_grant")
                    .contains("Open GET /api/connections/" + id + "/authorize");
        });
        assertThat(gw.get(tenant.token(), "/api/connections/" + id).text("status")).isEqualTo("reauth_required");

        int tokenCalls = vendor.tokenRequests.get();
        int apiCalls = vendor.apiCalls.get();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> callApi(id)).isInstanceOfSatisfying(ConnectionFailure.class, f -> assertThat(f.code()).isEqualTo("reauth_required"));
        }
        TestGateway.Response viaApi = gw.postJson(tenant.token(), "/api/connections/" + id + "/call", "{\"method\":\"GET\",\"path\":\"/api/me\"}");
        assertThat(viaApi.status()).isEqualTo(409);
        assertThat(viaApi.error()).isEqualTo("reauth_required");
        TestGateway.Response probe = gw.postJson(tenant.token(), "/api/connections/" + id + "/probe", "{}");
        assertThat(probe.text("status")).isEqualTo("reauth_required");
        assertThat(vendor.tokenRequests.get()).as("fast failures never reach the vendor").isEqualTo(tokenCalls);
        assertThat(vendor.apiCalls.get()).isEqualTo(apiCalls);

        JsonNode audit = gw.get(tenant.token(), "/api/audit?action=connection.reauth_required").json().get("entries");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("target").asText()).isEqualTo(id);
        assertThat(audit.get(0).get("detail").get("reason").asText()).contains("invalid_grant");

        HttpResponse<String> again = consent(id);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(gw.get(tenant.token(), "/api/connections/" + id).text("status")).isEqualTo("healthy");
        assertThat(callApi(id).status()).isEqualTo(200);
    }

    @Test
    void aRefreshAnotherProcessAlreadyMadeIsPickedUpFromTheStore() {
        String id = connected();
        assertThat(callApi(id).status()).isEqualTo(200); // the gateway now holds the first tokens in memory
        clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 30));
        // the command line, sharing the data directory, refreshes first
        try (Platform cli = Platform.open(Config.defaults(gw.dataDir).withPorts(0, -1).withClock(clock))) {
            assertThat(cli.connections().send(tenant.principal(), id, OutboundRequest.get("/api/me")).status()).isEqualTo(200);
        }
        assertThat(callApi(id).status()).isEqualTo(200);
        assertThat(vendor.refreshes.get()).as("the gateway saw the newer tokens before refreshing").isEqualTo(1);
        assertThat(vendor.refusedRefreshes.get()).isZero();
    }

    @Test
    void aRefreshRefusedBecauseAnotherProcessWonTheRaceRereadsTheStoredTokenInsteadOfFailing() {
        String id = connected();
        assertThat(callApi(id).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(vendor.accessLifetimeSeconds - 30));
        try (Platform cli = Platform.open(Config.defaults(gw.dataDir).withPorts(0, -1).withClock(clock))) {
            // while the gateway's refresh is on its way, the command line refreshes with the same refresh token and wins
            vendor.beforeNextRefresh.set(() -> assertThat(cli.connections().send(tenant.principal(), id, OutboundRequest.get("/api/me")).status()).isEqualTo(200));
            assertThat(callApi(id).status()).isEqualTo(200);
        }
        assertThat(vendor.refreshes.get()).isEqualTo(1);
        assertThat(vendor.refusedRefreshes.get()).as("the gateway's refresh lost the race").isEqualTo(1);
        assertThat(gw.get(tenant.token(), "/api/connections/" + id).text("status")).isEqualTo("healthy");
        assertThat(gw.get(tenant.token(), "/api/audit?action=connection.reauth_required").json().get("entries")).isEmpty();
    }

    @Test
    void theClientCredentialsGrantProbesWithAFreshTokenAndRefusesAWrongSecret() {
        String id = createConnection("client_credentials");
        TestGateway.Response wrong = gw.postJson(tenant.token(), "/api/connections/" + id + "/credential",
                Json.write(Json.object().put("client_secret", "not-" + vendor.clientSecret)));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().get("message").asText()).contains("invalid_client").doesNotContain(vendor.clientSecret);

        TestGateway.Response ok = gw.postJson(tenant.token(), "/api/connections/" + id + "/credential",
                Json.write(Json.object().put("client_secret", vendor.clientSecret)));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.text("status")).isEqualTo("healthy");
        int before = vendor.tokenRequests.get();
        assertThat(callApi(id).status()).isEqualTo(200);
        assertThat(callApi(id).status()).isEqualTo(200);
        assertThat(vendor.tokenRequests.get()).as("one token serves calls until its expiry window").isEqualTo(before + 1);
    }
}
