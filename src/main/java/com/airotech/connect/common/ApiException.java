package com.airotech.connect.common;

/**
 * The one status-coded exception of the platform. Its code and message cross the wire as
 * {@code {"error":code,"message":message}}, so the message is written for the caller and never
 * carries secret material or internal detail.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }
    public String code() { return code; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    public static ApiException invalidRequest(String message) { return new ApiException(400, "invalid_request", message); }
    public static ApiException invalidJson(String message) { return new ApiException(400, "invalid_json", message); }
    public static ApiException notFound(String what) { return new ApiException(404, "not_found", what + " not found"); }
    public static ApiException unauthorized(String message) { return new ApiException(401, "unauthorized", message); }
    public static ApiException unavailable(String message) { return new ApiException(503, "unavailable", message, 1); }
    public static ApiException conflict(String code, String message) { return new ApiException(409, code, message); }
}
