package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import java.util.Locale;

/** How the platform authenticates to the system a connection reaches (API.md §6). */
public enum ConnectionKind {
    NONE("none"), API_KEY("api_key"), BASIC("basic"), MTLS("mtls"), OAUTH2("oauth2"), AWS_IAM("aws_iam");

    private final String wire;

    ConnectionKind(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static ConnectionKind fromWire(String s) {
        if (s != null) {
            for (ConnectionKind k : values()) if (k.wire.equals(s.toLowerCase(Locale.ROOT))) return k;
        }
        throw ApiException.invalidRequest("Field 'kind' must be one of none, api_key, basic, mtls, oauth2, aws_iam.");
    }
}
