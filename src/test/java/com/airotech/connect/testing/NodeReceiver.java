package com.airotech.connect.testing;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver written in Node that verifies every delivery with the Standard Webhooks
 * reference library (npm {@code standardwebhooks}): the proof that our signatures are what a
 * receiver built by others accepts. Runs src/test/node/webhook-receiver.js; every request it saw is
 * in {@link #seen} (with {@code verified}, the status it answered, the body).
 */
public final class NodeReceiver implements AutoCloseable {
    public final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private NodeReceiver(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a receiver on a free port. */
    public static NodeReceiver start() { return start(0); }

    /** Starts a receiver on {@code port} (0: a free one), e.g. to come back on the address it had. */
    public static NodeReceiver start(int port) {
        Path lib = Path.of(System.getProperty("airotech.corpora", "target/corpora"), "standardwebhooks", "node_modules", "standardwebhooks").toAbsolutePath();
        if (!Files.exists(lib.resolve("package.json"))) {
            throw new IllegalStateException("the standardwebhooks npm package is missing at " + lib + ": run src/test/corpora/fetch.sh (mvn verify does)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/node/webhook-receiver.js").toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("STANDARDWEBHOOKS", lib.toString());
        pb.environment().put("PORT", Integer.toString(port));
        try {
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null) throw new IllegalStateException("the Node receiver exited before listening");
            NodeReceiver r = new NodeReceiver(p, Json.tree(first).get("listening").asInt());
            Thread reader = new Thread(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) r.seen.add(Json.tree(line));
                } catch (IOException e) {
                    // the process ended
                }
            }, "node-receiver-out");
            reader.setDaemon(true);
            reader.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node (Debian: apt-get install -y nodejs npm)", e);
        }
    }

    public int port() { return port; }

    public String url(String path) { return "http://127.0.0.1:" + port + path; }

    /** Sets what the receiver verifies with and answers (see webhook-receiver.js). */
    public void control(ObjectNode settings) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/__control"))).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(settings))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("control refused: " + r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void secrets(String... whsec) {
        ObjectNode c = Json.object();
        c.putArray("secrets").addAll(List.of(whsec).stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        control(c);
    }

    /** Lines the receiver's clock up with the gateway's (a manual clock), for the library's timestamp tolerance. */
    public void clock(Clock c) { control(Json.object().put("now_ms", c.millis())); }

    /** Requests it answered 2xx after verifying them. */
    public List<JsonNode> accepted() {
        return seen.stream().filter(n -> n.get("verified").asBoolean() && n.get("status").asInt() / 100 == 2).toList();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
