package com.airotech.connect.connection;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Puts a connection's credential into one outgoing request: the only code that reads material.
 * Library-neutral: it sees the request as method, URI, headers and body, and answers the URI to
 * call and the headers to add, so a signer over the whole request (AWS SigV4) fits as well as a
 * static header. {@link #scrub} removes the material from text that might echo it (an exception message).
 */
interface Injector {
    Injector NONE = new Injector() {};

    /** The URI actually called (a query-parameter key is added here). */
    default URI target(URI uri) { return uri; }

    /** Headers to add to a request about to be sent to {@code uri} (after {@link #target}). */
    default Map<String, String> headers(String method, URI uri, Map<String, List<String>> headers, byte[] body) { return Map.of(); }

    default String scrub(String text) { return text; }

    /** An injector that adds one header, and scrubs its value from any text. */
    static Injector header(String name, com.airotech.connect.common.Secret value) {
        return new Injector() {
            @Override public Map<String, String> headers(String method, URI uri, Map<String, List<String>> h, byte[] body) { return Map.of(name, value.utf8()); }

            @Override public String scrub(String text) { return scrubbed(text, value.utf8()); }
        };
    }

    static String scrubbed(String text, String material) {
        if (text == null || material == null || material.length() < 4) return text;
        return text.replace(material, "***");
    }
}
