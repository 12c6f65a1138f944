package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request the runtime sends over a connection: a path relative to the connection's base URL;
 * the connection adds the credential. Authorization and cookie headers cannot be set by the caller.
 */
public record OutboundRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> RESERVED = Set.of("authorization", "proxy-authorization", "cookie", "host", "content-length",
            "connection", "expect", "upgrade", "x-api-key");

    public OutboundRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) throw ApiException.invalidRequest("Field 'method' must be one of " + METHODS + ".");
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("\\") || path.length() > 2048
                || !com.airotech.connect.common.Text.isPrintable(path)) {
            throw ApiException.invalidRequest("Field 'path' must be a path on the connection's host, starting with '/'.");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String h = e.getKey();
            // names and values are checked here, so a bad one is a 400 naming the header, never an error echoing the value
            if (!com.airotech.connect.common.Text.isHeaderName(h)) throw ApiException.invalidRequest("A header name in 'headers' is not a valid HTTP header name.");
            if (RESERVED.contains(h.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalidRequest("Header '" + h + "' is set by the connection itself and cannot be given.");
            }
            for (String v : e.getValue()) {
                if (!com.airotech.connect.common.Text.isHeaderValue(v) || v.length() > 8192) {
                    throw ApiException.invalidRequest("Header '" + h + "' must have a value of visible ASCII characters (spaces inside allowed), at most 8192.");
                }
            }
        }
    }

    public static OutboundRequest get(String path) { return new OutboundRequest("GET", path, Map.of(), null); }
}
