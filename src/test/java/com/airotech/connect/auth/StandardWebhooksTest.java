package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.testing.FakeRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StandardWebhooksTest {
    // The published Standard Webhooks test vector.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TS = 1614265330L;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final Instant AT = Instant.ofEpochSecond(TS);

    static ConnectorAuth connector() {
        CredentialState cred = new CredentialState("cr_1", null, Secret.wrap(StandardWebhooks.decodeSecret(SECRET)), null, null, null, null);
        return new ConnectorAuth("tn_a", "cn_a", AuthMethod.HMAC, true, null, List.of(cred));
    }

    static FakeRequest vectorRequest() {
        return new FakeRequest().add("webhook-id", ID).add("webhook-timestamp", Long.toString(TS)).add("webhook-signature", SIGNATURE);
    }

    static Verified verify(FakeRequest r, byte[] body, Instant now) {
        InboundVerifier.HeaderResult h = new HmacVerifier().verifyHeaders(connector(), r, now);
        return h.bodyCheck().verify(body, now);
    }

    @Test
    void signingTheVectorGivesThePublishedSignature() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TS, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void theVectorVerifies() {
        Verified v = verify(vectorRequest(), BODY, AT);
        assertThat(v.credentialId()).isEqualTo("cr_1");
        assertThat(v.messageId()).isEqualTo(ID);
        assertThat(v.messageTimestamp()).isEqualTo(TS);
    }

    @Test
    void oneValidSignatureAmongSeveralIsEnough() {
        FakeRequest r = vectorRequest().replace("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,zzz " + SIGNATURE + " v1,notbase64!");
        assertThat(verify(r, BODY, AT).credentialId()).isEqualTo("cr_1");
    }

    @Test
    void timestampWindowIsInclusiveAtThreeHundredSecondsBothWays() {
        assertThat(verify(vectorRequest(), BODY, AT.plusSeconds(300)).messageId()).isEqualTo(ID);
        assertThat(verify(vectorRequest(), BODY, AT.minusSeconds(300)).messageId()).isEqualTo(ID);
        assertThatThrownBy(() -> verify(vectorRequest(), BODY, AT.plusSeconds(301)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("timestamp_out_of_range"));
        assertThatThrownBy(() -> verify(vectorRequest(), BODY, AT.minusSeconds(301)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("timestamp_out_of_range"));
    }

    static String flipOneByte(String s) {
        char[] c = s.toCharArray();
        int i = c.length / 2;
        c[i] = c[i] == 'A' ? 'B' : 'A';
        return new String(c);
    }

    static Stream<Arguments> tamperings() {
        List<Arguments> out = new ArrayList<>();
        for (String h : List.of("webhook-id", "webhook-signature")) {
            out.add(Arguments.of(h + " changed by one byte", (Function<FakeRequest, FakeRequest>) r -> r.replace(h, flipOneByte(r.header(h))), "signature_invalid"));
        }
        out.add(Arguments.of("webhook-timestamp changed by one", (Function<FakeRequest, FakeRequest>) r -> r.replace("webhook-timestamp", Long.toString(TS + 1)), "signature_invalid"));
        for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            out.add(Arguments.of(h + " missing", (Function<FakeRequest, FakeRequest>) r -> r.remove(h), "signature_invalid"));
            out.add(Arguments.of(h + " duplicated", (Function<FakeRequest, FakeRequest>) r -> r.add(h, r.header(h)), "signature_invalid"));
        }
        out.add(Arguments.of("webhook-timestamp not a number", (Function<FakeRequest, FakeRequest>) r -> r.replace("webhook-timestamp", "1614265330.0"), "signature_invalid"));
        out.add(Arguments.of("webhook-id with a control character", (Function<FakeRequest, FakeRequest>) r -> r.replace("webhook-id", "msg\u0001"), "signature_invalid"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("tamperings")
    void tamperedHeadersAreRejected(String what, Function<FakeRequest, FakeRequest> tamper, String code) {
        FakeRequest r = tamper.apply(vectorRequest());
        assertThatThrownBy(() -> verify(r, BODY, AT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ApiException.Kind.UNAUTHORIZED);
                    assertThat(e.code()).isEqualTo(code);
                });
    }

    @Test
    void everySingleByteChangeOfTheBodyIsRejected() {
        for (int i = 0; i < BODY.length; i++) {
            byte[] b = BODY.clone();
            b[i] ^= 0x01;
            assertThatThrownBy(() -> verify(vectorRequest(), b, AT)).as("byte %d", i)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("signature_invalid"));
        }
    }

    @Test
    void aBodyWithOneByteMoreOrLessIsRejected() {
        byte[] longer = new byte[BODY.length + 1];
        System.arraycopy(BODY, 0, longer, 0, BODY.length);
        longer[BODY.length] = ' ';
        byte[] shorter = java.util.Arrays.copyOf(BODY, BODY.length - 1);
        for (byte[] b : List.of(longer, shorter)) {
            assertThatThrownBy(() -> verify(vectorRequest(), b, AT))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("signature_invalid"));
        }
    }

    @Test
    void aSignatureFromAnotherSecretIsRejected() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        FakeRequest r = vectorRequest().replace("webhook-signature", StandardWebhooks.sign(other, ID, TS, BODY));
        assertThatThrownBy(() -> verify(r, BODY, AT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("signature_invalid"));
    }

    @Test
    void anRsaOnlySignatureHeaderIsAMethodMismatchForAnHmacConnector() {
        FakeRequest r = vectorRequest().replace("webhook-signature", "v1r,AAAA");
        InboundAuthenticator auth = new InboundAuthenticator(List.of(new HmacVerifier()));
        assertThatThrownBy(() -> auth.verifyHeaders(connector(), r, AT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("auth_method_mismatch"));
    }

    @Test
    void noCredentialAtAllIsUnauthorized() {
        InboundAuthenticator auth = new InboundAuthenticator(List.of(new HmacVerifier()));
        assertThatThrownBy(() -> auth.verifyHeaders(connector(), new FakeRequest(), AT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
    }

    @Test
    void anApiKeyOnAnHmacConnectorIsAMethodMismatch() {
        InboundAuthenticator auth = new InboundAuthenticator(List.of(new HmacVerifier()));
        assertThatThrownBy(() -> auth.verifyHeaders(connector(), new FakeRequest().add("X-Api-Key", "ak_x"), AT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("auth_method_mismatch"));
    }
}
