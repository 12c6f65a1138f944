package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import java.util.Arrays;
import java.util.List;
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
        throw ApiException.invalidRequest("Field 'kind' must be one of " + String.join(", ", wires()) + ".");
    }

    /** The kinds as an operator reads them in a sentence: "none, api_key, … or aws_iam". */
    public static String listed() {
        List<String> w = wires();
        return String.join(", ", w.subList(0, w.size() - 1)) + " or " + w.get(w.size() - 1);
    }

    private static List<String> wires() { return Arrays.stream(values()).map(ConnectionKind::wire).toList(); }
}
