package com.airotech.connect.connection;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A connection's non-secret config, typed per kind. {@link #toJson} is its stored form, which is
 * also what the API shows as {@code config} (it never holds material). Implemented by the records
 * nested in the {@link Kind} classes, one per kind.
 */
public interface KindConfig {
    /** What every kind takes: a CA to trust (PEM) and the call timeout. */
    record Common(String caPem, Integer timeoutSeconds) {
        static Common of(ObjectNode json) {
            return new Common(Kind.text(json, "ca_pem"), json.has("timeout_seconds") ? json.get("timeout_seconds").asInt() : null);
        }

        void into(ObjectNode o) {
            if (caPem != null) o.put("ca_pem", caPem);
            if (timeoutSeconds != null) o.put("timeout_seconds", timeoutSeconds);
        }
    }

    Common common();

    /** The kind's own fields; the common ones are added by {@link #toJson}. */
    void fields(ObjectNode o);

    default ObjectNode toJson() {
        ObjectNode o = Json.object();
        fields(o);
        common().into(o);
        return o;
    }

    default int timeoutSeconds() { return common().timeoutSeconds() == null ? 10 : common().timeoutSeconds(); }
}
