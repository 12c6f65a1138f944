package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import javax.net.ssl.KeyManager;

/**
 * Everything that differs between connection kinds, one class per kind: its typed config, its
 * material (records of {@link Secret}s, parsed at the edge), how that material goes into a request,
 * and what a new connection of the kind waits for. A new kind is one class here, one constant in
 * {@link ConnectionKind} and one console form.
 */
public sealed interface Kind permits NoneKind, ApiKeyKind, BasicKind, MtlsKind, OAuth2Kind, AwsIamKind {
    /** The config fields this kind takes besides {@code ca_pem} and {@code timeout_seconds}. */
    Set<String> configFields();

    /** The kind's part of a config, validated and normalised (defaults filled in): the parsing edge of {@code config}. */
    KindConfig config(ObjectNode json, KindConfig.Common common);

    /** What a new connection of this kind waits for. */
    Detail missing();

    /** The material of a {@code credential} request body, validated; messages name fields, never values. */
    Material material(ObjectNode body);

    /** Stored material (the document {@link Material#encode} wrote) read back. */
    Material decode(JsonNode stored);

    /** The header, query parameter or signature that carries the material; {@code bearer} is an oauth2 call's access token. */
    Injector injector(KindConfig config, Material material, Secret bearer);

    /** The client key of an mtls connection, used for its TLS context; null for every other kind. */
    default KeyManager[] keys(Material material) { return null; }

    // ------------------------------------------------------------------ shared parsing helpers

    static void only(ObjectNode body, Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.invalidRequest("Field '" + Text.sanitize(f, 64) + "' is not part of this kind's credential; it takes " + allowed + ".");
            }
        }
    }

    static String required(ObjectNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || !n.isTextual() || n.asText().isEmpty()) throw ApiException.invalidRequest("Field '" + field + "' is required (a non-empty string).");
        String v = n.asText();
        if (v.length() > max) throw ApiException.invalidRequest("Field '" + field + "' is longer than " + max + " characters.");
        if (!Text.isPrintable(v)) throw ApiException.invalidRequest("Field '" + field + "' contains control characters.");
        return v;
    }

    /** A stored material field as a {@link Secret}; null when absent or empty. */
    static Secret secret(JsonNode stored, String name) {
        JsonNode n = stored.get(name);
        return n == null || n.isNull() || n.asText().isEmpty() ? null : Secret.ofUtf8(n.asText());
    }

    static String text(JsonNode json, String name) {
        JsonNode n = json.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }
}
