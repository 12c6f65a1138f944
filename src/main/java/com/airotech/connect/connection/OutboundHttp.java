package com.airotech.connect.connection;

import com.airotech.connect.common.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends a connection's requests (redirects never followed by the client): before every hop the URL
 * must be http or https with a host, and the client's resolver checks every address it connects
 * to against the tenant's policy and the gateway's own listeners ({@link OutboundGuard}); a
 * redirect is followed only within the same origin (scheme, host and port: the credential must not
 * reach another service, not even on another port of the same host), at most five times. The
 * answer's body is capped at {@link #MAX_BODY}.
 */
final class OutboundHttp {
    static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private OutboundHttp() {}

    static OutboundResponse send(AddressPolicy policy, String tenantId, CloseableHttpClient client, URI start, OutboundRequest request,
                                 Injector injector, Duration timeout) {
        return send(policy, tenantId, client, start, request.method(), request.headers(), request.body(), injector, timeout);
    }

    static OutboundResponse send(AddressPolicy policy, String tenantId, CloseableHttpClient client, URI start, String method,
                                 Map<String, List<String>> headers, byte[] body, Injector injector, Duration timeout) {
        URI uri = start;
        long began = System.nanoTime();
        RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).setConnectionRequestTimeout(Timeout.of(timeout)).build();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            AddressPolicy.host(uri); // http or https, with a host; the addresses are checked as they are connected to
            URI target = injector.target(uri);
            HttpClientContext context = HttpClientContext.create();
            context.setRequestConfig(config);
            // a kept-alive connection is reused only under the policy it was checked against when opened
            context.setUserToken(policy);
            ClassicHttpResponse r = null;
            HttpUriRequestBase req = null;
            boolean complete = false;
            try {
                req = new HttpUriRequestBase(method, target);
                for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                    for (String v : h.getValue()) req.addHeader(h.getKey(), v);
                }
                for (Map.Entry<String, String> h : injector.headers(method, target, headers, body).entrySet()) req.setHeader(h.getKey(), h.getValue());
                if (body != null) req.setEntity(new ByteArrayEntity(body, null));
                r = client.executeOpen(null, req, context);
                int status = r.getCode();
                Header loc = r.getFirstHeader("Location");
                // a redirect that would turn a POST into a GET (301, 302, 303) is not followed: its body would be
                // lost on the way, and a delivery must never count as done on a GET; the caller gets the 3xx
                boolean keepsMethod = status == 307 || status == 308 || method.equals("GET") || method.equals("HEAD");
                if (status >= 300 && status < 400 && status != 304 && loc != null && keepsMethod) {
                    uri = redirect(uri, loc.getValue());
                    continue;
                }
                byte[] bytes = new byte[0];
                HttpEntity entity = r.getEntity();
                // not closed here: closing the stream would read the rest of the body; the finally drops the connection instead
                if (entity != null) bytes = readBounded(entity.getContent(), began + 2 * timeout.toNanos(), uri, timeout);
                // read to its end: the connection goes back to the pool; cut off at the cap: it is dropped below
                complete = entity == null || bytes.length < MAX_BODY;
                return new OutboundResponse(status, headersOf(r), bytes, (System.nanoTime() - began) / 1_000_000);
            } catch (IOException e) {
                throw failure(uri, e, injector, timeout);
            } catch (ConnectionFailure f) {
                throw f;
            } catch (RuntimeException e) {
                // building or sending the request failed on something the caller gave: say so without echoing any value
                throw new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The request to " + where(uri) + " could not be built or sent ("
                        + e.getClass().getSimpleName() + "). Check the request's headers and body.");
            } finally {
                // an answer not read to its end (a redirect's body, the rest beyond MAX_BODY, a drip that ran
                // out of time, a failure): drop the connection rather than read what is left
                if (req != null && !complete) req.cancel();
                close(r);
            }
        }
        throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(start) + " redirected more than " + MAX_REDIRECTS + " times.");
    }

    /**
     * Reads the answer's body up to {@link #MAX_BODY}. The response timeout bounds each read; the
     * deadline bounds them all, so a server that drips its body byte by byte cannot hold a call forever.
     */
    private static byte[] readBounded(InputStream in, long deadlineNanos, URI uri, Duration timeout) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (out.size() < MAX_BODY) {
            int n = in.read(buf, 0, Math.min(buf.length, MAX_BODY - out.size()));
            if (n < 0) break;
            out.write(buf, 0, n);
            if (System.nanoTime() > deadlineNanos) {
                throw new ConnectionFailure(ConnectionFailure.UNREACHABLE, where(uri) + " did not finish its answer within " + (2 * timeout.toSeconds())
                        + " s. Check the system's health.");
            }
        }
        return out.toByteArray();
    }

    /** The next hop of a redirect, if it stays within the origin of {@code from}. */
    private static URI redirect(URI from, String location) {
        URI next;
        try {
            next = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(from) + " redirected to an invalid location.");
        }
        if (!origin(next).equals(origin(from))) {
            boolean downgrade = "https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(next.getScheme());
            throw new ConnectionFailure(ConnectionFailure.REDIRECT_REFUSED, where(from) + " redirected to another origin ("
                    + Text.sanitize(origin(next), 120) + ")" + (downgrade ? ", from https down to plain http" : "")
                    + "; a connection follows redirects only within its own origin (scheme, host and port), so its credential never "
                    + "reaches another service. If the system moved, change the connection's base_url.");
        }
        return next;
    }

    /** scheme://host:port with the default port filled in, lower case. */
    static String origin(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return scheme + "://" + (u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }

    private static Map<String, List<String>> headersOf(ClassicHttpResponse r) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Header h : r.getHeaders()) out.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        return out;
    }

    static String where(URI uri) {
        int port = uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + (port >= 0 ? ":" + port : "") + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static ConnectionFailure failure(URI uri, IOException e, Injector injector, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutboundGuard.Refused refused) return refused.failure;
        }
        String reason = injector.scrub(Text.sanitize(e.getMessage() == null ? "" : e.getMessage(), 200));
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException && !(e instanceof SSLException)) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, where(uri) + " did not answer within " + timeout.toSeconds() + " s. Check that the system is up and reachable from this server.");
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "Could not connect to " + where(uri) + " (connection refused). Check that the system is running and the connection's base_url.");
        }
        if (e instanceof UnknownHostException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The host name of " + where(uri) + " does not resolve. Check the connection's base_url and the site's DNS.");
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The TLS handshake with " + where(uri) + " failed (" + reason
                    + "). Check the connection's ca_pem (the server's CA), that the server certificate names this host, and for mtls the client certificate.");
        }
        return new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The call to " + where(uri) + " failed (" + e.getClass().getSimpleName()
                + (reason.isEmpty() ? "" : ": " + reason) + "). Check that the system is reachable from this server.");
    }

    private static void close(ClassicHttpResponse r) {
        if (r == null) return;
        try {
            r.close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }
}
