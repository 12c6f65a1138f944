package com.airotech.connect.testing;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A real gateway for tests: a fresh data directory, a real SQLite file, Undertow on a free
 * loopback port, and a JDK HTTP client to talk to it.
 */
public final class TestGateway implements AutoCloseable {
    public final Path dataDir;
    public final Platform platform;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Path dataDir, Config config) {
        this.dataDir = dataDir;
        this.platform = Platform.open(config);
        platform.startGateway();
    }

    public static TestGateway start() { return start(Clock.systemUTC()); }

    public static TestGateway start(Clock clock) {
        Path dir = tempDir().resolve("data");
        return new TestGateway(dir, Config.defaults(dir).withPorts(0, -1).withClock(clock));
    }

    public static TestGateway start(Config config) { return new TestGateway(config.dataDir(), config); }

    /** A temporary directory of this test JVM, removed when it ends. */
    public static Path tempDir() {
        return TempDirs.create("airotech-test");
    }

    public int port() { return platform.gateway().httpPort(); }

    public URI uri(String path) { return URI.create("http://127.0.0.1:" + port() + path); }

    /** A tenant with its admin token (the token is test-run material, never committed). */
    public record TenantHandle(String tenantId, String token) {
        public Principal principal() { return new Principal(tenantId, "test"); }
    }

    public TenantHandle tenant(String name) {
        CreatedTenant t = platform.tenants().create(name, "ops@" + name, "test");
        return new TenantHandle(t.tenant().tenantId(), t.adminToken().utf8());
    }

    /**
     * Lets a tenant's connections reach loopback (the fake systems of tests listen there); the
     * default outbound policy allows nothing.
     */
    public TenantHandle allowLoopback(TenantHandle t) {
        platform.connections().changePolicy(com.airotech.connect.tenant.Principal.local(t.tenantId()), List.of("127.0.0.0/8", "::1/128"), null, false);
        return t;
    }

    /** A JSON response. */
    public record Response(int status, JsonNode json, java.net.http.HttpHeaders headers, String raw) {
        public String error() { return json == null || json.get("error") == null ? null : json.get("error").asText(); }
        public String text(String field) { return json.get(field).asText(); }
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (!r.body().isEmpty()) {
                try { json = Json.MAPPER.readTree(r.body()); } catch (IOException e) { json = null; }
            }
            return new Response(r.statusCode(), json, r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder admin(String token, String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    public Response get(String token, String path) { return send(admin(token, path).GET().build()); }

    public Response delete(String token, String path) { return send(admin(token, path).DELETE().build()); }

    public Response postJson(String token, String path, String json) {
        return send(admin(token, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Registers a connector over HTTP and returns the 201 answer (with its credential). */
    public JsonNode register(TenantHandle t, String method, String extraJson) {
        String body = "{\"system_name\":\"sys-" + method + "\",\"auth_method\":\"" + method + "\"" + (extraJson == null ? "" : "," + extraJson) + "}";
        Response r = postJson(t.token(), "/api/connectors/register", body);
        if (r.status() != 201) throw new AssertionError("registration failed: " + r.status() + " " + r.raw());
        return r.json();
    }

    /** A request to a connector's ingest path with the given headers and body. */
    public Response ingest(String webhookPath, byte[] body, List<String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(webhookPath)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        boolean contentType = false;
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
            contentType |= headers.get(i).equalsIgnoreCase("Content-Type");
        }
        if (!contentType) b.header("Content-Type", "application/json");
        return send(b.build());
    }

    @Override
    public void close() { platform.close(); }
}
