package com.airotech.connect.connection;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One version of a connection's material, typed by kind: records whose fields are {@link Secret}s
 * (printed as ***). {@link #encode} is the document kept in the secret store; the JSON tree it
 * builds never leaves the method. Implemented by the records nested in the {@link Kind} classes.
 */
public interface Material {
    /** Writes the material's fields into the stored document. */
    void fields(ObjectNode o);

    default Secret encode() {
        ObjectNode o = Json.object();
        fields(o);
        return Secret.wrap(Json.writeBytes(o));
    }
}
