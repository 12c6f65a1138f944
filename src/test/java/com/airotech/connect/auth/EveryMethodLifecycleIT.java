package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every method over plain HTTP (mtls has its own test on the HTTPS listener): register, use,
 * rotate (both credentials valid in the grace), rotate again (the oldest ends at once), revoke.
 */
class EveryMethodLifecycleIT {
    private static TestGateway g;
    private static TestGateway.TenantHandle acme;

    @BeforeAll
    static void start() {
        g = TestGateway.start();
        acme = g.tenant("acme");
    }

    @AfterAll
    static void stop() { g.close(); }

    /** The headers a sender holding {@code answer}'s material sends (answer = a registration or rotation response). */
    static List<String> headersFor(TestGateway g, String method, String connectorId, JsonNode answer, byte[] body) {
        return switch (method) {
            case "hmac" -> Signer.hmac(answer.get("credential").asText(), body);
            case "api_key" -> Signer.apiKey(answer.get("credential").asText());
            case "basic" -> Signer.basic(connectorId, answer.get("credential").asText());
            case "oauth2" -> Senders.bearer(Senders.token(g, connectorId, answer.get("credential").asText()));
            case "rsa" -> Senders.rsa(Senders.privateKey(answer.get("private_key_pem").asText()), body, Senders.newMessageId(),
                    java.time.Instant.now().getEpochSecond());
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static TestGateway.Response send(String method, JsonNode c, JsonNode material) {
        byte[] body = Signer.event("door_open", null);
        String id = c.get("connector_id").asText();
        return g.ingest(c.get("webhook_path").asText(), body, headersFor(g, method, id, material, body));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hmac", "api_key", "basic", "oauth2", "rsa"})
    void eachMethodCanBeRegisteredUsedRotatedAndRevoked(String method) {
        JsonNode c = g.register(acme, method, null);
        String id = c.get("connector_id").asText();
        assertThat(send(method, c, c).status()).isEqualTo(202);

        TestGateway.Response first = g.postJson(acme.token(), "/api/connectors/" + id + "/rotate", "{}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().has("previous_valid_until")).isTrue();
        assertThat(first.text("credential_sha256")).isNotEqualTo(c.get("credential_sha256").asText());
        assertThat(send(method, c, c).status()).isEqualTo(202);
        assertThat(send(method, c, first.json()).status()).isEqualTo(202);

        TestGateway.Response second = g.postJson(acme.token(), "/api/connectors/" + id + "/rotate", "{}");
        assertThat(second.status()).isEqualTo(200);
        if (!method.equals("oauth2")) {
            // oauth2 cannot even get a token with the oldest secret: that is invalid_client at the token endpoint
            TestGateway.Response oldest = send(method, c, c);
            assertThat(oldest.status()).isEqualTo(401);
            assertThat(oldest.error()).isEqualTo("credential_expired");
        } else {
            assertThat(Senders.tokenRequest(g, id, c.get("credential").asText()).error()).isEqualTo("invalid_client");
        }
        assertThat(send(method, c, first.json()).status()).isEqualTo(202);
        assertThat(send(method, c, second.json()).status()).isEqualTo(202);

        JsonNode listed = g.get(acme.token(), "/api/connectors/" + id).json();
        assertThat(listed.has("credential")).isFalse();
        assertThat(listed.toString()).doesNotContain(second.json().path("credential").asText("n/a"));

        assertThat(g.delete(acme.token(), "/api/connectors/" + id).status()).isEqualTo(200);
        if (method.equals("oauth2")) {
            assertThat(Senders.tokenRequest(g, id, second.text("credential")).status()).isEqualTo(401);
        } else {
            assertThat(send(method, c, second.json()).status()).isEqualTo(401);
        }
    }
}
