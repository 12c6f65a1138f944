package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13, item 10: an unauthenticated caller learns neither whether a client exists nor a connector's method. */
class NoHintsToStrangersIT {
    private static final List<String> METHODS = List.of("hmac", "rsa", "api_key", "basic", "oauth2", "mtls");
    private TestGateway g;
    private TestGateway.TenantHandle acme;

    @BeforeEach
    void start() {
        g = TestGateway.start();
        acme = g.tenant("acme");
    }

    @AfterEach
    void stop() { g.close(); }

    @Test
    void theTokenEndpointAnswersUnknownClientsWrongSecretsAndOtherMethodsAlike() {
        JsonNode oauth = g.register(acme, "oauth2", null);
        JsonNode hmac = g.register(acme, "hmac", null);
        TestGateway.Response unknown = Senders.tokenRequest(g, "cn_doesnotexist", "whatever");
        TestGateway.Response wrong = Senders.tokenRequest(g, oauth.get("connector_id").asText(), "not-the-secret");
        TestGateway.Response otherMethod = Senders.tokenRequest(g, hmac.get("connector_id").asText(), hmac.get("credential").asText());
        for (TestGateway.Response r : List.of(unknown, wrong, otherMethod)) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("invalid_client");
        }
        assertThat(wrong.raw()).isEqualTo(unknown.raw());
        assertThat(otherMethod.raw()).isEqualTo(unknown.raw());
    }

    @Test
    void ingestNeverNamesAConnectorsMethodToACallerWithoutItsCredential() {
        String unknownPath = "/api/events/ingest/" + acme.tenantId() + "/cn_doesnotexist";
        String unknownMessage = g.ingest(unknownPath, Signer.event("door_open", null), List.of()).json().get("message").asText();
        for (String method : METHODS) {
            JsonNode c = g.register(acme, method, null);
            String path = c.get("webhook_path").asText();
            List<String> otherProof = method.equals("api_key") ? Signer.basic("someone", "pw") : Signer.apiKey("ak_guess");
            for (List<String> headers : List.of(List.<String>of(), otherProof)) {
                TestGateway.Response r = g.ingest(path, Signer.event("door_open", null), headers);
                assertThat(r.status()).as(method + " " + r.raw()).isEqualTo(401);
                String message = r.json().get("message").asText();
                for (String m : METHODS) assertThat(message).as(method).doesNotContainIgnoringCase(m);
                assertThat(message).as(method).isEqualTo(unknownMessage);
            }
        }
    }
}
