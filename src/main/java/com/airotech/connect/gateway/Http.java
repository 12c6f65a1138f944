package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Locale;

/** Writing JSON responses and errors, and reading request basics. */
final class Http {
    static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private Http() {}

    static void json(HttpServerExchange ex, int status, Object body) {
        byte[] bytes = Json.writeBytes(body);
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    static void error(HttpServerExchange ex, ApiException e) {
        if (ex.isResponseStarted()) {
            ex.endExchange();
            return;
        }
        ObjectNode body = Json.object().put("error", e.code()).put("message", e.getMessage());
        if (e.retryAfterSeconds() != null) ex.getResponseHeaders().put(RETRY_AFTER, e.retryAfterSeconds().toString());
        json(ex, ErrorStatus.of(e.kind()), body);
    }

    /**
     * For a rejection sent before the body was read: a body up to the hard cap is drained after the
     * response, so a sender still uploading reads its answer (closing with unread bytes resets the
     * connection and can destroy the response); a declared body beyond the cap closes the connection.
     */
    static void closeAfterResponse(HttpServerExchange ex, long maxBody) {
        if (ex.isRequestComplete()) return;
        if (ex.getRequestContentLength() > hardCap(maxBody)) ex.setPersistent(false);
    }

    /** The most a connection will read of any body: past this Undertow drops the connection. */
    static long hardCap(long maxBody) { return Math.max(4 * maxBody, 8L * 1024 * 1024); }

    static String query(HttpServerExchange ex, String name) {
        Deque<String> v = ex.getQueryParameters().get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw ApiException.invalidRequest("Query parameter '" + name + "' is given more than once.");
        String s = v.getFirst();
        return s.isEmpty() ? null : s;
    }

    static int intQuery(HttpServerExchange ex, String name, int dflt) {
        String s = query(ex, name);
        if (s == null) return dflt;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Query parameter '" + name + "' must be an integer.");
        }
    }

    /** JSON endpoints take {@code application/json} (parameters such as charset allowed). */
    static void requireJson(HttpServerExchange ex) {
        String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String base = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new ApiException(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send the body as Content-Type: application/json.");
        }
    }

    /** A declared Content-Length over the limit is refused before reading ({@code 413}). */
    static void checkDeclaredLength(HttpServerExchange ex, long max) {
        long declared = ex.getRequestContentLength();
        if (declared > max) throw tooLarge(max);
    }

    static ApiException tooLarge(long max) {
        return new ApiException(ApiException.Kind.TOO_LARGE, "payload_too_large", "The body is larger than this gateway's limit of " + max + " bytes.");
    }
}
