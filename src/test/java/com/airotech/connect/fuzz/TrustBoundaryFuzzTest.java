package com.airotech.connect.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.auth.InboundVerifier;
import com.airotech.connect.auth.RsaVerifier;
import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.site.SiteFileException;
import com.airotech.connect.site.SiteFileReader;
import com.airotech.connect.testing.FakeRequest;
import com.airotech.connect.testing.FuzzBudget;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.TestGateway;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.KeyPair;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets for the other parsers at a trust boundary: RSA {@code v1r} verification, access
 * token (JWT) validation, and the site file an operator imports. Regression inputs are replayed by
 * `mvn verify`; JAZZER_FUZZ=1 fuzzes.
 */
class TrustBoundaryFuzzTest {
    private static final Set<String> AUTH_CODES = Set.of("unauthorized", "auth_method_mismatch", "signature_invalid",
            "timestamp_out_of_range", "credential_expired");
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final KeyPair KEYS = Senders.rsaKeyPair(2048);
    private static final ConnectorAuth RSA = new ConnectorAuth("tn_f", "cn_f", AuthMethod.RSA, true, null,
            List.of(new CredentialState("cr_f", null, null, KEYS.getPublic(), null, null, null)));
    private static final Platform PLATFORM = Platform.open(Config.defaults(TestGateway.tempDir().resolve("d")).withPorts(0, -1));

    static {
        // warm the paths so the per-input budget measures parsing, not class loading
        byte[] body = "{\"event_type\":\"a\"}".getBytes();
        FakeRequest r = FakeRequest.of(Senders.rsa(KEYS.getPrivate(), body, "m", NOW.getEpochSecond()));
        new RsaVerifier().verifyHeaders(RSA, r, NOW).bodyCheck().verify(body, NOW);
        try { PLATFORM.tokens().verify("a.b.c", NOW); } catch (RuntimeException expected) { /* warm-up */ }
        try { new SiteFileReader(EnumSet.allOf(AuthMethod.class)).read("warm", "{\"tenants\":[]}".getBytes()); } catch (RuntimeException expected) { /* warm-up */ }
    }

    @FuzzTest(maxDuration = "5m")
    void rsaSignatures(FuzzedDataProvider data) {
        FakeRequest r = new FakeRequest().add("webhook-id", data.consumeString(40))
                .add("webhook-timestamp", Long.toString(NOW.getEpochSecond() + data.consumeLong(-400, 400)))
                .add("webhook-signature", data.consumeString(700));
        byte[] body = data.consumeRemainingAsBytes();
        FuzzBudget.check(AUTH_CODES, () -> {
            InboundVerifier.HeaderResult h = new RsaVerifier().verifyHeaders(RSA, r, NOW);
            h.bodyCheck().verify(body, NOW);
            throw new AssertionError("a fuzzed v1r signature verified");
        });
    }

    @FuzzTest(maxDuration = "5m")
    void accessTokens(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsString();
        FuzzBudget.check(AUTH_CODES, () -> {
            PLATFORM.tokens().verify(token, NOW);
            throw new AssertionError("a fuzzed access token was accepted");
        });
    }

    @FuzzTest(maxDuration = "5m")
    void siteFiles(byte[] content) {
        FuzzBudget.check(Set.of(), Set.of(SiteFileException.class), () -> {
            var file = new SiteFileReader(EnumSet.allOf(AuthMethod.class)).read("fuzz.json", content);
            assertThat(file.tenants()).isNotNull();
        });
    }
}
