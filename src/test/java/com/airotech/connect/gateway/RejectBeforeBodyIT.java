package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a raw socket: a request that announces a 5 MB body and never sends a byte of it is answered
 * from its headers alone. The socket's read timeout bounds the wait, so a gateway that waited for
 * the body would fail the test rather than hang it.
 */
class RejectBeforeBodyIT {
    static TestGateway gw;
    static TenantHandle t;
    static JsonNode hmac;
    static JsonNode apiKey;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        t = gw.tenant("raw");
        hmac = gw.register(t, "hmac", null);
        apiKey = gw.register(t, "api_key", null);
    }

    @AfterAll
    static void stop() { gw.close(); }

    private String statusAndBodyFor(String path, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            String line;
            int length = 0;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) break;
                read += n;
            }
            return status + " " + new String(body, 0, read);
        }
    }

    @Test
    void noCredentialIsAnsweredWithoutTheBody() throws Exception {
        assertThat(statusAndBodyFor(hmac.get("webhook_path").asText())).startsWith("HTTP/1.1 401").contains("\"unauthorized\"");
    }

    @Test
    void anotherMethodsCredentialIsAnsweredWithoutTheBody() throws Exception {
        assertThat(statusAndBodyFor(hmac.get("webhook_path").asText(), "X-Api-Key: ak_whatever"))
                .startsWith("HTTP/1.1 401").contains("\"auth_method_mismatch\"");
    }

    @Test
    void aWrongApiKeyIsAnsweredWithoutTheBody() throws Exception {
        assertThat(statusAndBodyFor(apiKey.get("webhook_path").asText(), "X-Api-Key: ak_wrong"))
                .startsWith("HTTP/1.1 401").contains("\"unauthorized\"");
    }

    @Test
    void aStaleSignatureTimestampIsAnsweredWithoutTheBody() throws Exception {
        assertThat(statusAndBodyFor(hmac.get("webhook_path").asText(), "webhook-id: m1", "webhook-timestamp: 1000",
                "webhook-signature: v1,AAAA")).startsWith("HTTP/1.1 401").contains("\"timestamp_out_of_range\"");
    }

    @Test
    void aValidKeyWithAnOversizedDeclaredBodyIsTooLargeWithoutTheBody() throws Exception {
        assertThat(statusAndBodyFor(apiKey.get("webhook_path").asText(), "X-Api-Key: " + apiKey.get("credential").asText()))
                .startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
    }
}
