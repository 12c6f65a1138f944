package com.airotech.connect.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A webhook receiver on loopback (the JDK's HTTP server): records every request with its Standard
 * Webhooks headers and body, and answers what {@link #behaviour} says for the n-th request (0-based) and its body:
 * a status, optionally after holding the request, optionally with headers and a body.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(int n, Instant at, String path, String webhookId, String timestamp, String signature, String contentType, byte[] body,
                           int answered) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** What to answer. */
    public record Answer(int status, long holdMillis, String body, List<String> headers) {
        public static Answer status(int s) { return new Answer(s, 0, "", List.of()); }
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** What to answer the n-th request (0-based) with this body. */
    public volatile BiFunction<Integer, byte[], Answer> behaviour = (n, body) -> Answer.status(200);
    private final AtomicInteger count = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });

    public WebhookReceiver() { this(0); }

    /** On a given port (0: a free one), e.g. to come back on the same address after being down. */
    public WebhookReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public int port() { return server.getAddress().getPort(); }

    public String url(String path) { return "http://127.0.0.1:" + port() + path; }

    /** Bodies of the requests answered 2xx, in arrival order. */
    public List<String> deliveredBodies() {
        return received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).map(Received::text).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = count.getAndIncrement();
        byte[] body = ex.getRequestBody().readAllBytes();
        Answer a = behaviour.apply(n, body);
        String h = null;
        received.add(new Received(n, Instant.now(), ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("webhook-id"),
                ex.getRequestHeaders().getFirst("webhook-timestamp"), ex.getRequestHeaders().getFirst("webhook-signature"),
                ex.getRequestHeaders().getFirst("Content-Type"), body, a.status()));
        if (a.holdMillis() > 0) {
            try {
                // a slow target on purpose: it holds its answer (until closed)
                closing.await(a.holdMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i + 1 < a.headers().size(); i += 2) ex.getResponseHeaders().add(a.headers().get(i), a.headers().get(i + 1));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) ex.getResponseBody().write(out);
        } catch (IOException e) {
            // the sender gave up (timeout) before the answer: nothing to tell it
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
