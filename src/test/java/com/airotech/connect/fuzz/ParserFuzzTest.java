package com.airotech.connect.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.auth.BasicCredentials;
import com.airotech.connect.auth.HmacVerifier;
import com.airotech.connect.auth.InboundAuthenticator;
import com.airotech.connect.auth.InboundVerifier;
import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Secret;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.ingest.IncomingEvent;
import com.airotech.connect.testing.FakeRequest;
import com.airotech.connect.testing.FuzzBudget;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets for the parsers every unauthenticated byte reaches. In `mvn verify` they replay the
 * committed inputs under src/test/resources/com/airotech/connect/fuzz/ParserFuzzTestInputs; with
 * JAZZER_FUZZ=1 they fuzz (see the README's fuzzing section).
 */
class ParserFuzzTest {
    private static final Set<String> AUTH_CODES = Set.of("unauthorized", "auth_method_mismatch", "signature_invalid",
            "timestamp_out_of_range", "credential_expired");
    private static final Set<String> BODY_CODES = Set.of("invalid_json", "invalid_request", "invalid_event_type");
    private static final Instant NOW = Instant.ofEpochSecond(1_614_265_330L);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final ConnectorAuth HMAC = new ConnectorAuth("tn_f", "cn_f", AuthMethod.HMAC, true, Set.of("door_open"),
            List.of(new CredentialState("cr_f", null, Secret.wrap(StandardWebhooks.decodeSecret(SECRET)), null, null, null, null)));
    private static final InboundAuthenticator AUTH = new InboundAuthenticator(List.of(new HmacVerifier()));

    static {
        // load and initialise every class on the paths once, so the per-input CPU budget measures parsing, not class loading
        byte[] body = "{\"event_type\":\"door_open\",\"occurred_at\":\"2026-11-22T10:00:00Z\",\"data\":{\"x\":[1.5,true,null]}}".getBytes();
        IncomingEvent.parse(body);
        BasicCredentials.parse("Basic dTpw");
        FakeRequest r = new FakeRequest().add("webhook-id", "m").add("webhook-timestamp", Long.toString(NOW.getEpochSecond()))
                .add("webhook-signature", StandardWebhooks.sign(SECRET, "m", NOW.getEpochSecond(), body));
        AUTH.verifyHeaders(HMAC, r, NOW).bodyCheck().verify(body, NOW);
        for (String bad : List.of("{", "[]", "{\"event_type\":1}", "{\"event_type\":\"a\",\"occurred_at\":\"x\"}")) {
            try { IncomingEvent.parse(bad.getBytes()); } catch (com.airotech.connect.common.ApiException expected) { /* warm-up */ }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void standardWebhooksHeadersAndBody(FuzzedDataProvider data) {
        FakeRequest r = new FakeRequest();
        int headers = data.consumeInt(0, 6);
        String[] names = {"webhook-id", "webhook-timestamp", "webhook-signature", "X-Api-Key", "Authorization"};
        for (int i = 0; i < headers; i++) r.add(data.pickValue(names), data.consumeString(300));
        if (data.consumeBoolean()) {
            // a well-formed frame with fuzzed parts, so the fuzzer reaches the signature check
            long ts = NOW.getEpochSecond() + data.consumeLong(-400, 400);
            r.replace("webhook-id", data.consumeString(40)).replace("webhook-timestamp", Long.toString(ts));
        }
        byte[] body = data.consumeRemainingAsBytes();
        FuzzBudget.check(AUTH_CODES, () -> {
            InboundVerifier.HeaderResult h = AUTH.verifyHeaders(HMAC, r, NOW);
            h.bodyCheck().verify(body, NOW);
        });
    }

    @FuzzTest(maxDuration = "5m")
    void signatureHeaderParsingNeverThrows(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        FuzzBudget.check(Set.of(), () -> assertThat(StandardWebhooks.parseSignatures(header).size()).isLessThanOrEqualTo(16));
    }

    @FuzzTest(maxDuration = "5m")
    void basicHeaderParsing(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        FuzzBudget.check(Set.of(), () -> {
            BasicCredentials c = BasicCredentials.parse(header);
            if (c != null) {
                assertThat(c.user()).doesNotContain(":");
                assertThat(c.password().toString()).isEqualTo("***");
            }
        });
    }

    @FuzzTest(maxDuration = "5m")
    void ingestEnvelopeValidation(byte[] body) {
        FuzzBudget.check(BODY_CODES, () -> {
            IncomingEvent e = IncomingEvent.parse(body);
            assertThat(e.eventType()).matches("^[a-z0-9][a-z0-9_-]{0,63}$");
        });
    }
}
