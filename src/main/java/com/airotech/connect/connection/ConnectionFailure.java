package com.airotech.connect.connection;

/**
 * An outbound call that could not be made or was refused: the address policy, the network, TLS,
 * the vendor's token endpoint, or a connection that needs consent again. {@code code} is stable
 * (for scripts); the message says what happened and never carries material. When the connection
 * waits for something an operator must do ({@link #need}: consent again, material), each front end
 * words that step its own way.
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
    private final Connection connection;
    private final Detail need;

    public ConnectionFailure(String code, String message) {
        this(code, message, null, null);
    }

    private ConnectionFailure(String code, String message, Connection connection, Detail need) {
        super(message, null, false, false);
        this.code = code;
        this.connection = connection;
        this.need = need;
    }

    /** The tenant's address policy refused a target. */
    static ConnectionFailure targetRefused(Detail.TargetRefused refused) {
        return new ConnectionFailure(ADDRESS_REFUSED, Wording.targetRefused(refused), null, refused);
    }

    /** The connection needs consent again: {@code c}'s detail says why. */
    static ConnectionFailure needsConsentAgain(Connection c) {
        return new ConnectionFailure(REAUTH_REQUIRED, "Connection " + c.connectionId() + " needs consent again (" + Wording.plain(c.statusDetail()) + ").",
                c, c.statusDetail());
    }

    /** The connection has no material in force yet. */
    static ConnectionFailure needsMaterial(Connection c) {
        return new ConnectionFailure(NO_MATERIAL, "Connection " + c.connectionId() + " has no credential yet.", c, c.kind().spec().missing());
    }

    public String code() { return code; }

    /** The connection that waits for an operator's step, or null (also for a refused target, which is the tenant's policy). */
    public Connection connection() { return connection; }

    /** What the connection or the tenant waits for (consent, material, a policy rule), or null. */
    public Detail need() { return need; }
}
