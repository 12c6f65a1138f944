package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import java.util.Locale;

/** How the platform authenticates to the system a connection reaches (API.md §6). */
public enum ConnectionKind {
    NONE("none", new NoneKind()), API_KEY("api_key", new ApiKeyKind()), BASIC("basic", new BasicKind()), MTLS("mtls", new MtlsKind()),
    OAUTH2("oauth2", new OAuth2Kind()), AWS_IAM("aws_iam", new AwsIamKind());

    private final String wire;
    private final Kind spec;

    ConnectionKind(String wire, Kind spec) {
        this.wire = wire;
        this.spec = spec;
    }

    public String wire() { return wire; }

    /** The class that owns everything particular to this kind. */
    public Kind spec() { return spec; }

    public static ConnectionKind fromWire(String s) {
        if (s != null) {
            for (ConnectionKind k : values()) if (k.wire.equals(s.toLowerCase(Locale.ROOT))) return k;
        }
        throw ApiException.invalidRequest("Field 'kind' must be one of none, api_key, basic, mtls, oauth2, aws_iam.");
    }
}
