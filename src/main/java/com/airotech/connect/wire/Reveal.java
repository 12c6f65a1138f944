package com.airotech.connect.wire;

import com.airotech.connect.connector.IssuedCredential;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The one place a credential is put into an answer (HTTP or command line); it is stored nowhere in clear. */
public final class Reveal {
    private Reveal() {}

    public static void once(ObjectNode out, IssuedCredential issued) {
        if (issued.credential() != null) out.put("credential", issued.credential().utf8());
        else out.putNull("credential");
        out.put("credential_sha256", issued.credentialSha256());
        for (Map.Entry<String, Secret> e : issued.shown().entrySet()) out.put(e.getKey(), e.getValue().utf8());
        for (Map.Entry<String, String> e : issued.published().entrySet()) out.put(e.getKey(), e.getValue());
    }
}
