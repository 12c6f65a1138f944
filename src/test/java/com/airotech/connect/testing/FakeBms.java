package com.airotech.connect.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A building-management gateway on loopback: HTTP with Basic or API keys, or HTTPS that requires a
 * client certificate. {@code /health} answers 200 to an accepted credential and 401 otherwise;
 * {@code /slow} holds the request until the test opens {@link #slowGate}; {@code /moved} redirects
 * to another host name, {@code /hop} to {@code /health} on the same host.
 */
public final class FakeBms implements AutoCloseable {
    /** One request as the gateway saw it. */
    public record Seen(String path, String query, String authorization, String apiKey, String clientSubject) {}

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Requests with a body that were accepted (a delivery's POST): path, webhook-id and body. */
    public record Posted(String path, String webhookId, String body) {}

    public final List<Posted> posted = new CopyOnWriteArrayList<>();
    public final Set<String> validBasic = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final Set<String> validKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final CountDownLatch slowEntered = new CountDownLatch(1);
    public final CountDownLatch slowGate = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final boolean tls;

    private FakeBms(HttpServer server, boolean tls) {
        this.server = server;
        this.tls = tls;
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public static FakeBms http() {
        try {
            return new FakeBms(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTPS presenting {@code server}, requiring a client certificate issued by {@code clientCa}. */
    public static FakeBms mtls(TestCa.Issued server, X509Certificate clientCa) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SSLContext ctx = server.serverContext(clientCa);
            s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = ctx.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            return new FakeBms(s, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() { return server.getAddress().getPort(); }

    public String baseUrl() { return (tls ? "https" : "http") + "://127.0.0.1:" + port(); }

    public String baseUrl(String host) { return (tls ? "https" : "http") + "://" + host + ":" + port(); }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public long count(String path) { return seen.stream().filter(s -> s.path().equals(path)).count(); }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String key = ex.getRequestHeaders().getFirst("X-Api-Key");
        String subject = null;
        if (ex instanceof HttpsExchange hx) {
            try {
                subject = ((X509Certificate) hx.getSSLSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (Exception e) {
                subject = null;
            }
        }
        seen.add(new Seen(path, query, auth, key, subject));
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.equals("/moved")) {
            ex.getResponseHeaders().add("Location", baseUrl("localhost") + "/health");
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        if (path.equals("/hop")) {
            ex.getResponseHeaders().add("Location", "/health");
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        if (!accepted(auth, key, query, subject)) {
            reply(ex, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        if (path.equals("/slow")) {
            slowEntered.countDown();
            try {
                if (!slowGate.await(30, TimeUnit.SECONDS)) throw new IOException("the test never opened the gate");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (body.length > 0) posted.add(new Posted(path, ex.getRequestHeaders().getFirst("webhook-id"), new String(body, StandardCharsets.UTF_8)));
        reply(ex, 200, "{\"ok\":true,\"path\":\"" + path + "\"}");
    }

    private boolean accepted(String auth, String key, String query, String subject) {
        if (tls) return subject != null;
        if (auth != null && validBasic.stream().anyMatch(v -> v.equals(auth))) return true;
        if (key != null && validKeys.contains(key)) return true;
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("key") && validKeys.contains(URLDecoder.decode(kv[1], StandardCharsets.UTF_8))) return true;
            }
        }
        return false;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        slowGate.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
