package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The response excerpt keeps what helps an operator and loses anything that looks like a credential. */
class RedactionTest {
    private static String excerpt(String body) { return Redaction.excerpt(body.getBytes(StandardCharsets.UTF_8)); }

    @Test
    void anOrdinaryErrorAnswerIsKeptAsItIs() {
        assertThat(excerpt("{\"error\":\"validation_failed\",\"message\":\"field 'zone' is required\",\"request\":\"req-42\"}"))
                .isEqualTo("{\"error\":\"validation_failed\",\"message\":\"field 'zone' is required\",\"request\":\"req-42\"}");
        assertThat(excerpt("<html><body><h1>502 Bad Gateway</h1></body></html>")).isEqualTo("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }

    @Test
    void anEchoedAuthorizationHeaderLosesItsValue() {
        String echo = "POST /hooks HTTP/1.1\nAuthorization: Bearer sk_live_abcdefghij1234567890\nX-Api-Key: topsecretvalue\nCookie: session=abc123def456\n";
        String out = excerpt(echo);
        assertThat(out).contains("Authorization: [redacted]").contains("X-Api-Key: [redacted]").contains("Cookie: [redacted]")
                .doesNotContain("sk_live").doesNotContain("topsecretvalue").doesNotContain("abc123def456");
    }

    @Test
    void tokensSignaturesAndSecretsInJsonFieldsAreRemoved() {
        String json = "{\"access_token\":\"opaque-token-value\",\"refresh_token\":\"rt-12345\",\"password\":\"hunter2\",\"client_secret\":\"cs-x\","
                + "\"apiKey\":\"k-9\",\"webhook-signature\":\"v1,abc\",\"ok\":true}";
        String out = excerpt(json);
        assertThat(out).doesNotContain("opaque-token-value").doesNotContain("rt-12345").doesNotContain("hunter2").doesNotContain("cs-x")
                .doesNotContain("k-9").doesNotContain("v1,abc").contains("\"ok\":true").contains("\"access_token\":\"[redacted]\"");
    }

    @Test
    void ourOwnSecretFormatsJwtsAwsKeysAndPemBlocksAreRemovedWherever() {
        String whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbl8xIn0.c2lnbmF0dXJlLWJ5dGVz";
        String text = "you sent " + whsec + " and " + jwt + " from AKIAIOSFODNN7EXAMPLE; key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- done";
        String out = excerpt(text);
        assertThat(out).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").doesNotContain("eyJzdWIiOiJjbl8xIn0").doesNotContain("AKIAIOSFODNN7EXAMPLE")
                .doesNotContain("MIIEvQIBADANBg").startsWith("you sent [redacted] and [redacted] from [redacted]").endsWith(" done");
    }

    @Test
    void longRunsOfBase64OrHexAreTreatedAsMaterialButWordsAreNot() {
        String hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        String b64 = "R0sPriksT7Yb5xjMAzlKn1lVoiam16kvjrJwjjMZceU=";
        String out = excerpt("digest " + hex + " sig " + b64 + " path /very/long/path/with/words/only/and/more/words/here");
        assertThat(out).isEqualTo("digest [redacted] sig [redacted] path /very/long/path/with/words/only/and/more/words/here");
    }

    @Test
    void credentialsInAUrlAreRemoved() {
        assertThat(Redaction.redact("redirected to https://user:pa55word@bms.site.local/x")).isEqualTo("redirected to https://[redacted]@bms.site.local/x");
    }

    @Test
    void theExcerptIsTheFirstKibibyteAndASecretAcrossTheCutIsStillRecognised() {
        String filler = "a".repeat(1000) + " ";
        String body = filler + "Bearer abcdefghijklmnopqrstuvwxyz0123456789" + " tail".repeat(500);
        String out = excerpt(body);
        assertThat(out).hasSize(Redaction.EXCERPT_CHARS + 1).endsWith("…").doesNotContain("abcdefghijklmnopq");
        assertThat(excerpt("")).isNull();
        assertThat(Redaction.excerpt(new byte[] {'o', 'k', 0, 7, '\n'})).isEqualTo("ok??\n");
    }
}
