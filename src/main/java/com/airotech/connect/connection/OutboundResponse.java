package com.airotech.connect.connection;

import java.util.List;
import java.util.Map;

/** What the remote system answered (the body capped at {@link OutboundHttp#MAX_BODY}). */
public record OutboundResponse(int status, Map<String, List<String>> headers, byte[] body, long millis) {
    public OutboundResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public boolean success() { return status >= 200 && status < 300; }
}
