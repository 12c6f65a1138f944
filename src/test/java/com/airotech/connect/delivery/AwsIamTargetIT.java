package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.FakeAws;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Delivery to an API Gateway {@code execute-api} endpoint over an aws_iam connection: the role is
 * assumed with the connection's external id on STS on loopback, and every delivery is signed with
 * SigV4 by the assumed role's session; the loopback API Gateway ({@link FakeAws}) verifies each
 * signature, its session token and the body's hash, and refuses a tampered request.
 */
class AwsIamTargetIT {
    private static final String PRINCIPAL = "arn:aws:iam::" + FakeAws.PLATFORM_ACCOUNT + ":role/airotech-connect-platform";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void anApiGatewayEndpointReceivesEveryDeliverySignedWithSigV4ByTheAssumedRole() throws Exception {
        try (FakeAws aws = new FakeAws()) {
            aws.useThroughSystemProperties(PRINCIPAL);
            try (DeliveryFixture f = DeliveryFixture.start()) {
                TestGateway.Response created = f.g.postJson(f.t.token(), "/api/connections", Json.write(Json.object().put("name", "orders-api")
                        .put("kind", "aws_iam").put("base_url", aws.executeApiUrl("prod")).set("config", Json.object().put("region", "eu-central-1"))));
                assertThat(created.status()).as(created.raw()).isEqualTo(201);
                String cx = created.text("connection_id");
                String role = "arn:aws:iam::123456789012:role/airotech-" + UUID.randomUUID().toString().substring(0, 8);
                aws.roles.put(role, created.text("external_id"));
                TestGateway.Response cred = f.g.postJson(f.t.token(), "/api/connections/" + cx + "/credential", "{\"role_arn\":\"" + role + "\"}");
                assertThat(cred.status()).as(cred.raw()).isEqualTo(200);
                assertThat(cred.text("status")).isEqualTo("healthy");

                JsonNode sub = f.subscribe("{\"name\":\"to-orders\",\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/events\"}}");
                assertThat(sub.has("signing_secret")).as("the connection authenticates with SigV4").isFalse();
                for (int i = 0; i < 3; i++) f.send("o" + i);
                Await.until("three signed deliveries at API Gateway", () -> aws.invokes.size() >= 3, WAIT);

                assertThat(aws.invokeRefusals).isEmpty();
                assertThat(aws.invokes.stream().map(v -> Json.tree(v.body()).get("event_id").asText()).toList()).containsExactly("o0", "o1", "o2");
                assertThat(aws.invokes).allSatisfy(v -> {
                    assertThat(v.method()).isEqualTo("POST");
                    assertThat(v.path()).isEqualTo("/execute-api/prod/events");
                    assertThat(v.accessKeyId()).as("signed by the assumed role's session").startsWith("ASIA");
                    assertThat(v.roleArn()).isEqualTo(role);
                    assertThat(v.region()).as("signed for the connection's region").isEqualTo("eu-central-1");
                    assertThat(v.headers().get("x-amz-security-token")).containsExactly(aws.session(v.accessKeyId())[2]);
                    assertThat(v.headers().get("webhook-id").get(0)).startsWith("dl_");
                });
                String subId = sub.get("subscription_id").asText();
                Await.until("all three listed as delivered", () -> {
                    for (String e : List.of("o0", "o1", "o2")) {
                        JsonNode d = f.delivery(subId, e);
                        if (d == null || !"delivered".equals(d.get("status").asText())) return false;
                    }
                    return true;
                }, WAIT);
                // one session signs them all: the role is assumed once for the probe and reused until shortly before it expires
                assertThat(aws.invokes.stream().map(FakeAws.Invoke::accessKeyId).distinct()).hasSize(1);

                // the endpoint really checks: the same session's signature over another body is refused
                String[] session = aws.session(aws.invokes.get(0).accessKeyId());
                URI uri = URI.create(aws.executeApiUrl("prod") + "/events");
                byte[] signedBody = "{\"event_id\":\"genuine\"}".getBytes(StandardCharsets.UTF_8);
                Map<String, List<String>> headers = sign(uri, signedBody, session);
                assertThat(post(uri, headers, signedBody)).as("control: a request signed like the gateway's is accepted").isEqualTo(200);
                int refused = aws.invokeRefusals.size();
                assertThat(post(uri, headers, "{\"event_id\":\"tampered\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(403);
                assertThat(aws.invokeRefusals).hasSize(refused + 1);
                assertThat(aws.invokes.stream().map(v -> new String(v.body(), StandardCharsets.UTF_8))).noneMatch(b -> b.contains("tampered"));

                // the outbound address policy applies to aws_iam targets as to every other
                f.g.platform.connections().changePolicy(f.t.principal(), null, List.of("127.0.0.1/32"), false);
                TestGateway.Response outside = f.g.postJson(f.t.token(), "/api/subscriptions",
                        "{\"name\":\"outside\",\"target\":{\"connection_id\":\"" + cx + "\",\"path\":\"/events\"}}");
                assertThat(outside.status()).isEqualTo(400);
                assertThat(outside.text("message")).contains("outbound address policy");
            }
        } finally {
            FakeAws.clearSystemProperties();
        }
    }

    private static Map<String, List<String>> sign(URI uri, byte[] body, String[] session) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri).putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsSessionCredentials.create(session[0], session[1], session[2]))
                .request(request).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api").putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1"));
        return signed.request().headers();
    }

    private static int post(URI uri, Map<String, List<String>> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host")) vs.forEach(v -> b.header(k, v));
        });
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
