package com.airotech.connect.connection;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Puts a connection's credential into one outgoing request: the only code that reads material.
 * {@link #scrub} removes the material from text that might echo it (an exception message).
 */
interface Injector {
    Injector NONE = new Injector() {};

    default URI target(URI uri) { return uri; }

    default void headers(HttpRequest.Builder b) { }

    default String scrub(String text) { return text; }
}
