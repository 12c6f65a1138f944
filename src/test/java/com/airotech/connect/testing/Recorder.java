package com.airotech.connect.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A loopback HTTP server bound to one chosen address and port that records every request (path
 * and Authorization header) and answers what {@code answer} says: a status, and for 3xx a Location.
 */
public final class Recorder implements AutoCloseable {
    /** One request, with the client port it came from: requests with the same port came over one kept-alive connection. */
    public record Seen(String method, String path, String authorization, String requestLine, int clientPort) {}

    /** What to answer: status, and the Location for a redirect (else null). */
    public record Answer(int status, String location) {
        public static Answer ok() { return new Answer(200, null); }
        public static Answer redirect(String location) { return new Answer(302, location); }
    }

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    private volatile boolean closeConnections;

    /** Answers with {@code Connection: close}, so every request comes over a new connection (resolved and checked anew). */
    public Recorder closingEachConnection() {
        closeConnections = true;
        return this;
    }

    public Recorder(String address, int port, Function<Seen, Answer> answer) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + address + ":" + port, e);
        }
        server.createContext("/", ex -> handle(ex, answer));
        server.setExecutor(pool);
        server.start();
    }

    public static Recorder ok(String address) { return new Recorder(address, 0, s -> Answer.ok()); }

    public int port() { return server.getAddress().getPort(); }

    public String url(String path) { return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + path; }

    private void handle(HttpExchange ex, Function<Seen, Answer> answer) throws IOException {
        Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestMethod() + " " + ex.getRequestURI(), ex.getRemoteAddress().getPort());
        seen.add(s);
        ex.getRequestBody().readAllBytes();
        Answer a = answer.apply(s);
        if (a.location() != null) ex.getResponseHeaders().add("Location", a.location());
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (closeConnections) ex.getResponseHeaders().add("Connection", "close");
        if (a.status() >= 300 && a.status() < 400) {
            ex.sendResponseHeaders(a.status(), -1);
        } else {
            ex.sendResponseHeaders(a.status(), body.length);
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
