package com.airotech.connect.connection;

/**
 * An outbound call that could not be made or was refused: the address policy, the network, TLS,
 * the vendor's token endpoint, or a connection that needs consent again. {@code code} is stable
 * (for scripts); the message says what happened and what to do, and never carries material.
 */
public final class ConnectionFailure extends RuntimeException {
    public static final String REAUTH_REQUIRED = "reauth_required";
    public static final String ADDRESS_REFUSED = "address_refused";
    public static final String REDIRECT_REFUSED = "redirect_refused";
    public static final String UNREACHABLE = "unreachable";
    public static final String TOKEN_ENDPOINT = "token_endpoint_failed";
    public static final String NO_MATERIAL = "no_material";
    public static final String AWS = "aws_error";

    private final String code;

    public ConnectionFailure(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() { return code; }
}
