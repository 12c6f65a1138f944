package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a connector authenticates its inbound requests; declared at registration. */
public enum AuthMethod {
    HMAC("hmac"), OAUTH2("oauth2"), API_KEY("api_key"), RSA("rsa"), BASIC("basic"), MTLS("mtls");

    private final String wire;

    AuthMethod(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static AuthMethod fromWire(String s) {
        for (AuthMethod m : values()) if (m.wire.equals(s)) return m;
        throw ApiException.invalidRequest("Field 'auth_method' must be one of "
                + Arrays.stream(values()).map(AuthMethod::wire).collect(Collectors.joining(", ")) + ".");
    }

    @Override public String toString() { return wire; }
}
