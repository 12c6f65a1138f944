package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;

/**
 * The one place a refusal's kind becomes an HTTP status: services, the store and the CLI speak in
 * {@link ApiException.Kind}s, and only the gateway knows the numbers (API.md lists them per code).
 */
public final class ErrorStatus {
    private ErrorStatus() {}

    public static int of(ApiException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNPROCESSABLE -> 422;
            case RATE_LIMITED -> 429;
            case HEADERS_TOO_LARGE -> 431;
            case INTERNAL -> 500;
            case UPSTREAM_FAILED -> 502;
            case UNAVAILABLE -> 503;
        };
    }

    public static int of(ApiException e) { return of(e.kind()); }
}
