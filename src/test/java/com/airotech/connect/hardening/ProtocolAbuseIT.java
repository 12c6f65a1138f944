package com.airotech.connect.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.gateway.Gateway;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Raw-socket abuse of the HTTP layer, on loopback: oversized headers, smuggling shapes, slow
 * senders, too many connections from one address. Every answer is bounded in time by the socket's
 * read timeout, so a gateway that hung would fail the test rather than stall it.
 */
class ProtocolAbuseIT {
    static final Gateway.Limits LIMITS = new Gateway.Limits(8 * 1024, 1_000, 1_500, 5_000, 6);
    static TestGateway gw;
    static TenantHandle t;
    static JsonNode apiKey;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Config.defaults(TestGateway.tempDir().resolve("d")).withPorts(0, -1).withLimits(LIMITS));
        t = gw.tenant("abuse");
        apiKey = gw.register(t, "api_key", null);
    }

    @AfterAll
    static void stop() { gw.close(); }

    /** Sends raw bytes and reads until the server closes or the timeout passes. */
    static String exchange(byte[] request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return readUntilClose(s.getInputStream());
        }
    }

    static String readUntilClose(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            out.write("<timeout>".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            out.write("<reset>".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    @Test
    void headersOverTheLimitAre431WithAJsonAnswer() throws Exception {
        String r = exchange(ascii("GET /api/connectors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t.token()
                + "\r\nX-Padding: " + "a".repeat(9000) + "\r\n\r\n"), 5000);
        assertThat(r).startsWith("HTTP/1.1 431").contains("\"headers_too_large\"").doesNotContain("<timeout>");
    }

    @Test
    void headersBeyondUndertowsCapCloseTheConnectionWithoutA5xx() throws Exception {
        String r = exchange(ascii("GET /api/connectors HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(1_100_000) + "\r\n\r\n"), 5000);
        assertThat(r).doesNotContain("HTTP/1.1 5").doesNotContain("<timeout>");
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndNothingIsSmuggled() throws Exception {
        String smuggled = "POST " + apiKey.get("webhook_path").asText() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "X-Api-Key: " + apiKey.get("credential").asText() + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /api/connectors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t.token() + "\r\n\r\n";
        String r = exchange(ascii(smuggled), 5000);
        assertThat(r).startsWith("HTTP/1.1 400");
        assertThat(r.split("HTTP/1.1 ", -1)).as("exactly one response on the connection").hasSize(2);
        assertThat(gw.get(t.token(), "/api/events").json().get("events")).isEmpty();
    }

    @Test
    void twoDifferentContentLengthsAreRefused() throws Exception {
        String r = exchange(ascii("POST " + apiKey.get("webhook_path").asText() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd"), 5000);
        assertThat(r).startsWith("HTTP/1.1 400");
    }

    @Test
    void aSenderTricklingItsHeadersIsDroppedWithinTheBound() throws Exception {
        long start = System.nanoTime();
        String r = exchange(ascii("GET /api/connectors HTTP/1.1\r\nHost: x\r\n"), 10_000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r).doesNotContain("<timeout>");
        assertThat(millis).as("dropped after the header timeout, well before the client's own").isLessThan(8_000);
    }

    @Test
    void aSenderTricklingItsBodyIsDroppedWithinTheBound() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST " + apiKey.get("webhook_path").asText() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Api-Key: "
                    + apiKey.get("credential").asText() + "\r\nContent-Length: 100\r\n\r\n{\"event_type\":"));
            out.flush();
            long start = System.nanoTime();
            String r = readUntilClose(s.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r).doesNotContain("<timeout>").doesNotContain("HTTP/1.1 2");
            assertThat(millis).isLessThan(8_000);
        }
        assertThat(gw.get(t.token(), "/api/events").json().get("events")).isEmpty();
    }

    @Test
    void tooManyConnectionsFromOneAddressAreRefusedAndFreedOnClose() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            // other connections of this test JVM (the HTTP client's pool) may already count: open until refused
            String refused = null;
            for (int i = 0; i <= LIMITS.maxConnectionsPerAddress() && refused == null; i++) {
                Socket s = new Socket("127.0.0.1", gw.port());
                s.setSoTimeout(5000);
                open.add(s);
                String r = requestOnOpenConnection(s);
                if (r.startsWith("HTTP/1.1 429")) refused = r;
                else assertThat(r).startsWith("HTTP/1.1 200");
            }
            assertThat(refused).as("refused at the limit of %d", LIMITS.maxConnectionsPerAddress()).isNotNull()
                    .contains("Retry-After").contains("\"rate_limited\"");
            open.remove(open.size() - 1).close(); // the refused one (the gateway closed it already)
            assertThat(open).as("connections of ours that were admitted").isNotEmpty();
            open.remove(0).close(); // free one admitted connection
            open.remove(0).close();
            // the gateway notices the close asynchronously; a fresh connection is admitted once it has
            long deadline = System.nanoTime() + 5_000_000_000L;
            String again;
            do {
                again = exchange(ascii("GET /api/connectors HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + t.token() + "\r\n\r\n"), 5000);
            } while (!again.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
            assertThat(again).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : open) s.close();
        }
    }

    private static String requestOnOpenConnection(Socket s) throws IOException {
        s.getOutputStream().write(ascii("GET /api/connectors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t.token() + "\r\n\r\n"));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n = in.read(buf);
            if (n < 0) break;
            out.write(buf, 0, n);
            String sofar = out.toString(StandardCharsets.UTF_8);
            int headerEnd = sofar.indexOf("\r\n\r\n");
            if (headerEnd > 0) {
                int cl = sofar.toLowerCase().indexOf("content-length: ");
                int len = Integer.parseInt(sofar.substring(cl + 16, sofar.indexOf("\r\n", cl)).trim());
                if (out.size() >= headerEnd + 4 + len) break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
