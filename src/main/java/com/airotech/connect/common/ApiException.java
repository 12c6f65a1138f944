package com.airotech.connect.common;

/**
 * The one refusal of the platform, for every adapter: what kind of refusal it is, a stable code and a
 * message for the operator (and, for a refusal that passes, when to retry). It knows nothing of any
 * transport: the gateway maps the {@link Kind} to an HTTP status in one place
 * ({@code gateway/ErrorStatus}), the CLI to an exit code. The code and message cross the wire as
 * {@code {"error":code,"message":message}}, so the message is written for the caller and never
 * carries secret material or internal detail.
 */
public final class ApiException extends RuntimeException {

    /** What went wrong, as the caller must see it; each adapter words it (HTTP status, exit code). */
    public enum Kind {
        /** The request is malformed or breaks a rule of the contract. */
        INVALID,
        /** No valid credential was presented. */
        UNAUTHORIZED,
        /** What the request names does not exist (or is not the caller's). */
        NOT_FOUND,
        /** The request's method is not one the addressed resource takes. */
        METHOD_NOT_ALLOWED,
        /** The request clashes with the current state (a duplicate, a replay, the wrong state). */
        CONFLICT,
        /** The body is larger than the limit. */
        TOO_LARGE,
        /** The body is not of a type that is taken. */
        UNSUPPORTED_MEDIA_TYPE,
        /** Well-formed, but what it asks cannot be done (a failed probe, a refused address). */
        UNPROCESSABLE,
        /** The sender used up its allowance; retry after the given time. */
        RATE_LIMITED,
        /** The request's headers are larger than the limit. */
        HEADERS_TOO_LARGE,
        /** The gateway failed unexpectedly. */
        INTERNAL,
        /** A system the gateway called on the caller's behalf failed. */
        UPSTREAM_FAILED,
        /** The gateway cannot take the request now (busy, at capacity, shutting down, storage full); retry. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    public ApiException(Kind kind, String code, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * The former HTTP-status form. FOR THE LEAD: kept only for connection/ (and its gateway resource),
     * which another developer rewrites this round; once that has merged, convert the remaining callers
     * to {@link #ApiException(Kind, String, String)} and delete this constructor and {@link #kindOf}.
     */
    @Deprecated(forRemoval = true)
    public ApiException(int status, String code, String message) {
        this(kindOf(status), code, message, null);
    }

    /** The kind the former HTTP status stood for (see the deprecated constructor; gateway/ErrorStatus is the mapping). */
    @Deprecated(forRemoval = true)
    private static Kind kindOf(int status) {
        return switch (status) {
            case 400 -> Kind.INVALID;
            case 401 -> Kind.UNAUTHORIZED;
            case 404 -> Kind.NOT_FOUND;
            case 405 -> Kind.METHOD_NOT_ALLOWED;
            case 409 -> Kind.CONFLICT;
            case 413 -> Kind.TOO_LARGE;
            case 415 -> Kind.UNSUPPORTED_MEDIA_TYPE;
            case 422 -> Kind.UNPROCESSABLE;
            case 429 -> Kind.RATE_LIMITED;
            case 431 -> Kind.HEADERS_TOO_LARGE;
            case 502 -> Kind.UPSTREAM_FAILED;
            case 503 -> Kind.UNAVAILABLE;
            default -> Kind.INTERNAL;
        };
    }

    public Kind kind() { return kind; }
    public String code() { return code; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    public static ApiException invalidRequest(String message) { return new ApiException(Kind.INVALID, "invalid_request", message); }
    public static ApiException invalidJson(String message) { return new ApiException(Kind.INVALID, "invalid_json", message); }
    public static ApiException notFound(String what) { return new ApiException(Kind.NOT_FOUND, "not_found", what + " not found"); }
    public static ApiException unauthorized(String message) { return new ApiException(Kind.UNAUTHORIZED, "unauthorized", message); }
    public static ApiException unavailable(String message) { return unavailable(message, 1); }
    /** Unavailable for a while: the caller should retry after {@code retryAfterSeconds}. */
    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(Kind.UNAVAILABLE, "unavailable", message, retryAfterSeconds);
    }
    public static ApiException conflict(String code, String message) { return new ApiException(Kind.CONFLICT, code, message); }
}
