package com.airotech.connect.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor's OAuth2 authorization server and API on loopback: {@code /authorize} (consent given at
 * once: redirects with a code), {@code /token} (authorization code with PKCE S256, refresh tokens
 * rotated on use, client credentials; client authenticated by HTTP Basic), revocation of every
 * grant, and {@code /api/me}, which answers 200 to a live access token.
 */
public final class FakeOAuthServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    public final String clientId = "client-" + random();
    public final String clientSecret = "secret-" + random();
    public volatile long accessLifetimeSeconds = 3600;
    public final AtomicInteger codeExchanges = new AtomicInteger();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AtomicInteger refusedRefreshes = new AtomicInteger();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    public final AtomicInteger apiCalls = new AtomicInteger();
    /** Bodies of accepted API calls that carried one (deliveries), in arrival order. */
    public final List<String> apiBodies = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();
    /** Runs once when the next refresh request arrives, before it is answered (another client racing it). */
    public final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextRefresh = new java.util.concurrent.atomic.AtomicReference<>();

    private record Code(String challenge, String redirectUri, String scope) {}

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    /** refresh token → grant id; access token → grant id; revoked grant ids. */
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final java.util.Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public FakeOAuthServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/api/me", this::api);
        server.setExecutor(pool);
        server.start();
    }

    public String url(String path) { return "http://127.0.0.1:" + server.getAddress().getPort() + path; }

    /** The vendor account owner withdraws every grant: refresh tokens and access tokens stop working. */
    public void revokeAll() { revoked.addAll(refreshTokens.values()); revoked.addAll(accessTokens.values()); }

    public boolean isLiveRefreshToken(String token) { return refreshTokens.containsKey(token) && !revoked.contains(refreshTokens.get(token)); }

    public java.util.Set<String> refreshTokens() { return refreshTokens.keySet(); }

    /** Every access token ever issued (for leak checks). */
    public java.util.Set<String> accessTokens() { return accessTokens.keySet(); }

    /** Every refresh token ever issued, used or not (for leak checks). */
    public final java.util.Set<String> issuedRefreshTokens = ConcurrentHashMap.newKeySet();

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        authorizeRequests.add(q);
        if (!clientId.equals(q.get("client_id")) || !"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method"))) {
            reply(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = "code-" + random();
        codes.put(code, new Code(q.get("code_challenge"), q.get("redirect_uri"), q.get("scope")));
        ex.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.get("state")));
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String expected = "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        switch (String.valueOf(f.get("grant_type"))) {
            case "authorization_code" -> {
                Code c = codes.remove(String.valueOf(f.get("code")));
                if (c == null || !c.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                        || !c.challenge().equals(s256(f.get("code_verifier")))) {
                    reply(ex, 400, "{\"error\":\"invalid_grant\"}");
                    return;
                }
                codeExchanges.incrementAndGet();
                issue(ex, "grant-" + random(), true);
            }
            case "refresh_token" -> {
                Runnable race = beforeNextRefresh.getAndSet(null);
                if (race != null) race.run();
                // a little latency, so that concurrent callers would overlap if they refreshed twice
                pause();
                String grant;
                synchronized (this) {
                    grant = refreshTokens.remove(String.valueOf(f.get("refresh_token")));
                }
                if (grant == null || revoked.contains(grant)) {
                    refusedRefreshes.incrementAndGet();
                    reply(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked or already used\"}");
                    return;
                }
                refreshes.incrementAndGet();
                issue(ex, grant, true);
            }
            case "client_credentials" -> issue(ex, "cc-" + random(), false);
            default -> reply(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
    }

    private void issue(HttpExchange ex, String grant, boolean withRefresh) throws IOException {
        String access = "at-" + random();
        accessTokens.put(access, grant);
        StringBuilder body = new StringBuilder("{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":" + accessLifetimeSeconds);
        if (withRefresh) {
            String refresh = "rt-" + random();
            refreshTokens.put(refresh, grant);
            issuedRefreshTokens.add(refresh);
            body.append(",\"refresh_token\":\"").append(refresh).append('"');
        }
        reply(ex, 200, body.append('}').toString());
    }

    private void api(HttpExchange ex) throws IOException {
        apiCalls.incrementAndGet();
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String token = h != null && h.startsWith("Bearer ") ? h.substring(7) : null;
        String grant = token == null ? null : accessTokens.get(token);
        if (grant == null || revoked.contains(grant)) {
            reply(ex, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        if (body.length > 0) apiBodies.add(new String(body, StandardCharsets.UTF_8));
        reply(ex, 200, "{\"account\":\"site-42\"}");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String s) {
        Map<String, String> out = new HashMap<>();
        if (s == null || s.isEmpty()) return out;
        for (String pair : s.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static String random() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
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
        server.stop(0);
        pool.shutdownNow();
    }
}
