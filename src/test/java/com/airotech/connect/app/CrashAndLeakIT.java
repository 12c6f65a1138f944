package com.airotech.connect.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.GatewayProcess;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged program as a separate process: killed with SIGKILL mid-stream it keeps every
 * event it acknowledged, exactly once; stopped with SIGTERM it finishes what is in flight; and
 * no credential it ever issued appears in its output or in the bytes of its data directory.
 */
class CrashAndLeakIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JsonNode post(GatewayProcess g, String path, String token, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.url(path))).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.tree(r.body());
    }

    private List<String> allEventIds(GatewayProcess g, String token) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String q = "/api/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.url(q))).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode page = Json.tree(r.body());
            ids.addAll(page.get("events").findValuesAsText("event_id"));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }

    /** 8 senders over three methods, recording every acknowledged event id, until stopped. */
    private final class Senders implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService pool = Executors.newFixedThreadPool(8);

        Senders(GatewayProcess g, List<JsonNode> connectors, String prefix) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                pool.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        JsonNode c = connectors.get((thread + n) % connectors.size());
                        String id = prefix + "-" + thread + "-" + n++;
                        byte[] body = Signer.event("meter_reading", id);
                        List<String> h = switch (c.get("auth_method").asText()) {
                            case "hmac" -> Signer.hmac(c.get("credential").asText(), body);
                            case "api_key" -> Signer.apiKey(c.get("credential").asText());
                            default -> Signer.basic(c.get("connector_id").asText(), c.get("credential").asText());
                        };
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.url(c.get("webhook_path").asText())))
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                        for (int i = 0; i < h.size(); i += 2) b.header(h.get(i), h.get(i + 1));
                        try {
                            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                            sent.incrementAndGet();
                            if (r.statusCode() == 202 || r.statusCode() == 200) acknowledged.add(id);
                        } catch (Exception e) {
                            if (!g.process.isAlive()) return null; // the gateway is gone: this sender is done
                        }
                    }
                    return null;
                });
            }
        }

        void awaitAcknowledged(int n) {
            Await.until(n + " acknowledgements", () -> acknowledged.size() >= n, Duration.ofSeconds(60));
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void acknowledgedEventsSurviveKillNineExactlyOnceAndNoCredentialLeaks() throws Exception {
        Path root = TestGateway.tempDir();
        Path data = root.resolve("data");
        Path logs = root.resolve("logs");
        List<String> secrets = new ArrayList<>();
        StringBuilder printed = new StringBuilder();

        GatewayProcess.Result created = GatewayProcess.run("tenant", "create", "crash-site", "--data-dir", data.toString(), "--actor", "ops@crash");
        assertThat(created.exit()).as(created.stderr()).isEqualTo(0);
        String token = Json.tree(created.stdout()).get("admin_token").asText();
        secrets.add(token);
        printed.append(created.stderr()); // stdout is the show-once answer itself

        List<JsonNode> connectors = new ArrayList<>();
        Set<String> acknowledged;
        try (GatewayProcess g = GatewayProcess.serve(data, logs, 30_000)) {
            for (String m : List.of("hmac", "api_key", "basic")) {
                JsonNode c = post(g, "/api/connectors/register", token, "{\"system_name\":\"crash-" + m + "\",\"auth_method\":\"" + m + "\"}");
                connectors.add(c);
                secrets.add(c.get("credential").asText());
                if (m.equals("hmac")) secrets.add(Base64.getEncoder().encodeToString(Base64.getDecoder().decode(c.get("credential").asText().substring(6))));
            }
            Senders s = new Senders(g, connectors, "k9");
            s.awaitAcknowledged(400);
            g.kill9(); // at a moment when 8 senders have requests in flight
            s.close();
            acknowledged = Set.copyOf(s.acknowledged);
            printed.append(g.output());
        }

        // (restart time after kill -9 is asserted by the crash loop test, which measures it over ten kills)
        try (GatewayProcess g = GatewayProcess.serve(data, logs, 30_000)) {
            List<String> stored = allEventIds(g, token);
            Map<String, Integer> counts = new HashMap<>();
            for (String id : stored) counts.merge(id, 1, Integer::sum);
            assertThat(counts.keySet()).containsAll(acknowledged);
            assertThat(counts.values()).allMatch(n -> n == 1);

            // a clean stop under load: SIGTERM while senders are busy; whatever was acknowledged is kept
            Senders s = new Senders(g, connectors, "term");
            s.awaitAcknowledged(200);
            int exit = g.terminate();
            s.close();
            assertThat(exit).as("exit code after SIGTERM: a clean stop is a success").isZero();
            assertThat(g.output()).contains("stopped cleanly");
            printed.append(g.output());
            acknowledged = Set.copyOf(s.acknowledged);
        }
        try (GatewayProcess g = GatewayProcess.serve(data, logs, 30_000)) {
            assertThat(allEventIds(g, token)).containsAll(acknowledged);
            g.terminate();
            printed.append(g.output());
        }

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("airotech.db")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }

        // the leak check: every credential, in everything printed and every byte on disk
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        for (String secret : secrets) {
            assertThat(printed.toString()).as("process output").doesNotContain(secret);
            byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
            for (Path f : files) {
                assertThat(indexOf(Files.readAllBytes(f), needle)).as("bytes of %s", f.getFileName()).isEqualTo(-1);
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
