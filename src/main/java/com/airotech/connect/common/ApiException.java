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
