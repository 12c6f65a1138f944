package com.airotech.connect.connection;

import com.airotech.connect.common.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Sends a connection's requests with the JDK HttpClient (redirects never followed by the client):
 * the address policy is checked before every hop, a redirect is followed only on the same host
 * (the credential must not reach another one) and never from https down to http, at most five times.
 */
final class OutboundHttp {
    static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private OutboundHttp() {}

    static OutboundResponse send(AddressPolicy policy, String tenantId, HttpClient client, URI start, OutboundRequest request,
                                 Injector injector, Duration timeout) {
        return send(policy, tenantId, client, start, request.method(), request.headers(), request.body(), injector, timeout);
    }

    static OutboundResponse send(AddressPolicy policy, String tenantId, HttpClient client, URI start, String method,
                                 Map<String, List<String>> headers, byte[] body, Injector injector, Duration timeout) {
        URI uri = start;
        long began = System.nanoTime();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            policy.check(uri, tenantId);
            HttpRequest.Builder b = HttpRequest.newBuilder(injector.target(uri)).timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                for (String v : h.getValue()) b.header(h.getKey(), v);
            }
            injector.headers(b);
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw failure(uri, e, injector, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionFailure(ConnectionFailure.UNREACHABLE, "Interrupted while calling " + where(uri) + ".");
            }
            int status = r.statusCode();
            String location = r.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status < 400 && status != 304 && location != null) {
                close(r.body());
                URI next;
                try {
                    next = uri.resolve(location.strip());
                } catch (IllegalArgumentException e) {
                    throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(uri) + " redirected to an invalid location.");
                }
                if (next.getHost() == null || !next.getHost().equalsIgnoreCase(uri.getHost())) {
                    throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(uri) + " redirected to another host ("
                            + Text.sanitize(next.getHost(), 100) + "); a connection follows redirects only on its own host, so its credential "
                            + "never reaches another. If the system moved, change the connection's base_url.");
                }
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(uri) + " redirected from https to plain http; refused so the credential is never sent in clear.");
                }
                if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD"))) {
                    method = "GET";
                    body = null;
                }
                uri = next;
                continue;
            }
            byte[] bytes;
            try (InputStream in = r.body()) {
                bytes = in.readNBytes(MAX_BODY);
            } catch (IOException e) {
                throw failure(uri, e, injector, timeout);
            }
            return new OutboundResponse(status, r.headers().map(), bytes, (System.nanoTime() - began) / 1_000_000);
        }
        throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(start) + " redirected more than " + MAX_REDIRECTS + " times.");
    }

    static String where(URI uri) {
        int port = uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + (port >= 0 ? ":" + port : "") + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static ConnectionFailure failure(URI uri, IOException e, Injector injector, Duration timeout) {
        String reason = injector.scrub(Text.sanitize(e.getMessage() == null ? "" : e.getMessage(), 200));
        if (e instanceof HttpTimeoutException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, where(uri) + " did not answer within " + timeout.toSeconds() + " s. Check that the system is up and reachable from this server.");
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "Could not connect to " + where(uri) + " (connection refused). Check that the system is running and the connection's base_url.");
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The TLS handshake with " + where(uri) + " failed (" + reason
                    + "). Check the connection's ca_pem (the server's CA), that the server certificate names this host, and for mtls the client certificate.");
        }
        return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The call to " + where(uri) + " failed (" + e.getClass().getSimpleName()
                + (reason.isEmpty() ? "" : ": " + reason) + "). Check that the system is reachable from this server.");
    }

    private static void close(InputStream in) {
        try (in) {
            in.skipNBytes(0);
        } catch (IOException ignored) {
            // the redirect's body is not needed
        }
    }

}
