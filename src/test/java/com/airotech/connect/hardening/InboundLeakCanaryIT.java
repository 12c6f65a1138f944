package com.airotech.connect.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.testing.LogCapture;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The leak canary for the inbound side: every secret minted while every method is registered,
 * used, rotated, refused and revoked — admin tokens, credentials, private keys, PKCS#12 bundles and
 * passwords, access tokens — is searched for in the logs, every answer after the show-once, the
 * audit trail, /metrics, /api/status and every byte of the data directory. (The outbound side has
 * ConnectionLeakIT; the packaged process has CrashAndLeakIT.)
 */
class InboundLeakCanaryIT {
    @Test
    void noMintedSecretAppearsAnywhereAfterItsOneShowing() throws Exception {
        List<String> secrets = new ArrayList<>();
        StringBuilder answers = new StringBuilder();
        try (LogCapture logs = new LogCapture();
             TestGateway gw = TestGateway.start(Config.defaults(TestGateway.tempDir().resolve("d")).withPorts(0, 0))) {
            TenantHandle t = gw.tenant("canary");
            TenantHandle other = gw.tenant("canary-other");
            secrets.add(t.token());
            secrets.add(other.token());
            for (String method : List.of("hmac", "api_key", "basic", "oauth2", "rsa", "mtls")) {
                JsonNode c = gw.register(t, method, null);
                collect(c, secrets);
                String id = c.get("connector_id").asText();
                String path = c.get("webhook_path").asText();
                byte[] body = Signer.event("canary", null);
                // use it (where a plain HTTP client can), fail with it, rotate it, use the old one in the grace
                answers.append(send(gw, method, c, path, body, secrets)).append('\n');
                answers.append(gw.ingest(path, body, Signer.apiKey("ak_wrong")).raw()).append('\n');
                answers.append(gw.ingest(path, body, Signer.basic(id, "wrong")).raw()).append('\n');
                Response rotated = gw.postJson(t.token(), "/api/connectors/" + id + "/rotate", "{\"grace_seconds\":30}");
                assertThat(rotated.status()).isEqualTo(200);
                collect(rotated.json(), secrets);
                answers.append(send(gw, method, c, path, body, secrets)).append('\n');
                answers.append(gw.get(t.token(), "/api/connectors/" + id).raw()).append('\n');
                answers.append(gw.get(other.token(), "/api/connectors/" + id).raw()).append('\n');
            }
            answers.append(gw.get(t.token(), "/api/connectors").raw()).append('\n');
            answers.append(gw.get(t.token(), "/api/events?limit=1000").raw()).append('\n');
            answers.append(gw.get(t.token(), "/api/status").raw()).append('\n');
            answers.append(gw.send(HttpRequest.newBuilder(gw.uri("/metrics")).build()).raw()).append('\n');
            answers.append(gw.send(HttpRequest.newBuilder(gw.uri("/.well-known/jwks.json")).build()).raw()).append('\n');
            for (JsonNode c : gw.get(t.token(), "/api/connectors").json().get("connectors")) {
                answers.append(gw.delete(t.token(), "/api/connectors/" + c.get("connector_id").asText()).raw()).append('\n');
            }
            String audit = gw.get(t.token(), "/api/audit?limit=1000").raw();
            gw.platform.rejections().close(); // writes the pending auth.rejected summaries
            audit += gw.get(t.token(), "/api/audit?limit=1000").raw();
            assertThat(audit).contains("connector.rotated").contains("connector.revoked");

            secrets.removeIf(s -> s == null || s.length() < 16);
            assertThat(secrets).hasSizeGreaterThanOrEqualTo(20);
            byte[] files = allBytes(gw.dataDir);
            String fileText = new String(files, StandardCharsets.ISO_8859_1);
            for (String s : secrets) {
                String probe = s.length() > 64 ? s.substring(20, 84) : s; // long PEM/PKCS#12 values: a distinctive slice
                assertThat(logs.text()).as("logs").doesNotContain(probe);
                assertThat(answers).as("answers after the show-once").doesNotContain(probe);
                assertThat(audit).as("audit").doesNotContain(probe);
                assertThat(fileText).as("data directory bytes").doesNotContain(probe);
            }
        }
    }

    private static void collect(JsonNode answer, List<String> secrets) {
        for (String f : List.of("credential", "private_key_pem", "client_p12_base64", "client_p12_password")) {
            JsonNode v = answer.get(f);
            if (v != null && !v.isNull()) {
                String s = v.asText();
                secrets.add(s);
                if (f.equals("private_key_pem")) secrets.add(s.replaceAll("-----[A-Z ]+-----|\\s", "").substring(0, 64));
                if (s.startsWith("whsec_")) secrets.add(s.substring(6));
            }
        }
    }

    private static String send(TestGateway gw, String method, JsonNode c, String path, byte[] body, List<String> secrets) {
        String cred = c.get("credential").isNull() ? null : c.get("credential").asText();
        String id = c.get("connector_id").asText();
        return switch (method) {
            case "hmac" -> gw.ingest(path, body, Signer.hmac(cred, body)).raw();
            case "api_key" -> gw.ingest(path, body, Signer.apiKey(cred)).raw();
            case "basic" -> gw.ingest(path, body, Signer.basic(id, cred)).raw();
            case "oauth2" -> {
                String token = Senders.token(gw, id, cred);
                secrets.add(token);
                yield gw.ingest(path, body, Senders.bearer(token)).raw();
            }
            case "rsa" -> gw.ingest(path, body, Senders.rsa(Senders.privateKey(c.get("private_key_pem").asText()), body,
                    Senders.newMessageId(), Instant.now().getEpochSecond())).raw();
            default -> gw.ingest(path, body, List.of()).raw(); // mtls over plain HTTP: refused, nothing echoed
        };
    }

    private static byte[] allBytes(Path dir) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.write(Files.readAllBytes(p));
        }
        return out.toByteArray();
    }
}
