package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatcher;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's routing table, with what RFC 9110 asks of a general-purpose server around it:
 * {@code HEAD} answers wherever {@code GET} does (same headers, no body), {@code OPTIONS} answers
 * {@code 204} with {@code Allow}, and a method the path does not take is {@code 405} with
 * {@code Allow}. An unknown path is {@code 404}.
 */
final class Routes {
    private final RoutingHandler routing = new RoutingHandler();
    /** For each template, the methods it takes (the sets are filled as routes are added). */
    private final PathTemplateMatcher<Set<String>> allowed = new PathTemplateMatcher<>();

    Routes() {
        routing.setFallbackHandler(ex -> Http.error(ex, new ApiException(ApiException.Kind.NOT_FOUND, "not_found", "No such endpoint: see the API contract for the routes.")));
        routing.setInvalidMethodHandler(this::otherMethod);
    }

    /**
     * Adds a route. A {@code GET} is also answered for {@code HEAD} unless it acts when read (the
     * OAuth2 callback spends its {@code state}): a HEAD must never do that.
     */
    Routes add(String method, String template, HttpHandler handler, boolean safe) {
        routing.add(method, template, handler);
        Set<String> methods = allowed.get(template);
        if (methods == null) {
            methods = new TreeSet<>();
            allowed.add(template, methods);
        }
        methods.add(method);
        if (safe && Methods.GET_STRING.equals(method)) {
            routing.add(Methods.HEAD, template, handler);
            methods.add(Methods.HEAD_STRING);
        }
        methods.add(Methods.OPTIONS_STRING);
        return this;
    }

    Routes add(String method, String template, HttpHandler handler) {
        return add(method, template, handler, true);
    }

    HttpHandler handler() {
        return routing;
    }

    private void otherMethod(HttpServerExchange ex) {
        PathTemplateMatcher.PathMatchResult<Set<String>> m = allowed.match(ex.getRelativePath());
        String allow = m == null ? Methods.OPTIONS_STRING : String.join(", ", m.getValue());
        ex.getResponseHeaders().put(Headers.ALLOW, allow);
        if (Methods.OPTIONS.equals(ex.getRequestMethod())) {
            ex.setStatusCode(204);
            ex.endExchange();
            return;
        }
        Http.error(ex, new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, "method_not_allowed", "This endpoint does not take " + ex.getRequestMethod()
                + "; it takes " + allow + "."));
    }
}
