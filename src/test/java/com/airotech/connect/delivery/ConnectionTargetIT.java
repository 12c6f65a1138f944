package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.FakeOAuthServer;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TestCa;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Deliveries over outbound connections, with the connection's own authentication: a building
 * management gateway that requires a client certificate, and a SaaS API behind OAuth2 whose access
 * token expires and is refreshed between deliveries. (An API Gateway over aws_iam: {@link AwsIamTargetIT}.)
 */
class ConnectionTargetIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aBmsOverMutualTlsReceivesEveryDeliveryWithTheConnectionsClientCertificate() {
        TestCa ca = new TestCa("Site BMS CA " + UUID.randomUUID());
        TestCa.Issued serverCert = ca.server(List.of("localhost"), List.of("127.0.0.1"));
        TestCa.Issued client = ca.client("airotech-delivery-client");
        try (DeliveryFixture f = DeliveryFixture.start(); FakeBms bms = FakeBms.mtls(serverCert, ca.cert)) {
            ObjectNode body = Json.object().put("name", "bms-north").put("kind", "mtls").put("base_url", bms.baseUrl()).put("probe_path", "/health");
            body.putObject("config").put("ca_pem", ca.pem());
            String cx = f.g.postJson(f.t.token(), "/api/connections", Json.write(body)).text("connection_id");
            String[] p12 = client.p12();
            TestGateway.Response cred = f.g.postJson(f.t.token(), "/api/connections/" + cx + "/credential",
                    Json.write(Json.object().put("client_p12_base64", p12[0]).put("client_p12_password", p12[1])));
            assertThat(cred.status()).as(cred.raw()).isEqualTo(200);
            JsonNode sub = f.subscribe("{\"name\":\"to-bms\",\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/api/events\"}}");
            assertThat(sub.has("signing_secret")).as("a connection authenticates with its own credential").isFalse();
            assertThat(sub.get("target").get("method").asText()).isEqualTo("POST");
            for (int i = 0; i < 10; i++) f.send("e" + i);
            Await.until("ten deliveries at the BMS", () -> bms.posted.size() >= 10, WAIT);
            assertThat(bms.posted.stream().map(p -> Json.tree(p.body()).get("event_id").asText()).toList()).containsExactly(SignedDeliveryIT.range("e", 10));
            assertThat(bms.posted).allSatisfy(p -> {
                assertThat(p.path()).isEqualTo("/api/events");
                assertThat(p.webhookId()).startsWith("dl_");
            });
            assertThat(bms.seen.stream().filter(s -> s.path().equals("/api/events"))).allSatisfy(s -> assertThat(s.clientSubject()).contains("airotech-delivery-client"));
        }
    }

    @Test
    void anOAuth2ApiGetsDeliveriesWithABearerTokenThatIsRefreshedWhenItExpires() {
        ManualClock clock = ManualClock.startingNow();
        try (DeliveryFixture f = DeliveryFixture.start(clock, Map.of()); FakeOAuthServer vendor = new FakeOAuthServer()) {
            vendor.accessLifetimeSeconds = 600;
            ObjectNode cfg = Json.object().put("token_url", vendor.url("/token")).put("client_id", vendor.clientId).put("grant_type", "authorization_code")
                    .put("authorize_url", vendor.url("/authorize"));
            ObjectNode body = Json.object().put("name", "saas").put("kind", "oauth2").put("base_url", vendor.url("")).put("probe_path", "/api/me");
            body.set("config", cfg);
            String cx = f.g.postJson(f.t.token(), "/api/connections", Json.write(body)).text("connection_id");
            f.g.postJson(f.t.token(), "/api/connections/" + cx + "/credential", Json.write(Json.object().put("client_secret", vendor.clientSecret)));
            consent(f, cx);
            assertThat(f.g.get(f.t.token(), "/api/connections/" + cx).text("status")).isEqualTo("healthy");

            f.subscribe("{\"name\":\"to-saas\",\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/api/me/events\",\"method\":\"PUT\"}}");
            for (int i = 0; i < 3; i++) f.send("a" + i);
            Await.until("three deliveries at the API", () -> vendor.apiBodies.size() >= 3, WAIT);
            assertThat(vendor.refreshes.get()).isZero();

            clock.advance(Duration.ofMinutes(20)); // the access token expired meanwhile
            for (int i = 0; i < 3; i++) f.send("b" + i);
            Await.until("three more, after a refresh", () -> vendor.apiBodies.size() >= 6, WAIT);
            assertThat(vendor.refreshes.get()).isEqualTo(1);
            assertThat(vendor.apiBodies.stream().map(b -> Json.tree(b).get("event_id").asText()).toList()).containsExactly("a0", "a1", "a2", "b0", "b1", "b2");
        }
    }

    private static void consent(DeliveryFixture f, String cx) {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            String url = f.g.get(f.t.token(), "/api/connections/" + cx + "/authorize").text("authorize_url");
            HttpResponse<String> atVendor = browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> back = browser.send(HttpRequest.newBuilder(URI.create(atVendor.headers().firstValue("Location").orElseThrow())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAwsIamConnectionIsATargetOnlyWithABaseUrlAndTheRefusalNamesTheField() {
        try (DeliveryFixture f = DeliveryFixture.start()) {
            System.setProperty("airotech.aws.principalArn", "arn:aws:iam::111122223333:role/airotech-connect-platform");
            String withUrl;
            String sdkOnly;
            try {
                TestGateway.Response r = f.g.postJson(f.t.token(), "/api/connections",
                        "{\"name\":\"aws\",\"kind\":\"aws_iam\",\"config\":{\"region\":\"us-east-1\"},\"base_url\":\"http://127.0.0.1:9/prod\"}");
                assertThat(r.status()).as(r.raw()).isEqualTo(201);
                withUrl = r.text("connection_id");
                TestGateway.Response s = f.g.postJson(f.t.token(), "/api/connections", "{\"name\":\"aws-sdk\",\"kind\":\"aws_iam\",\"config\":{\"region\":\"us-east-1\"}}");
                assertThat(s.status()).as(s.raw()).isEqualTo(201);
                sdkOnly = s.text("connection_id");
            } finally {
                System.clearProperty("airotech.aws.principalArn");
            }
            TestGateway.Response accepted = f.g.postJson(f.t.token(), "/api/subscriptions",
                    "{\"name\":\"to-aws\",\"target\":{\"connection_id\":\"" + withUrl + "\",\"path\":\"/events\"}}");
            assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);

            TestGateway.Response refused = f.g.postJson(f.t.token(), "/api/subscriptions",
                    "{\"name\":\"to-sdk-only\",\"target\":{\"connection_id\":\"" + sdkOnly + "\",\"path\":\"/events\"}}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_request");
            assertThat(refused.text("message")).contains("aws_iam").contains("'base_url'").contains("execute-api");
            assertThat(f.g.get(f.t.token(), "/api/subscriptions").json().get("subscriptions")).hasSize(1);
        }
    }
}
