package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import javax.net.ssl.KeyManager;

/** Kind {@code mtls}: a client certificate (PKCS#12) presented in the TLS handshake. */
public final class MtlsKind implements Kind {
    public record Config(Common common) implements KindConfig {
        @Override public void fields(ObjectNode o) { }
    }

    public record ClientCertificate(Secret p12Base64, Secret p12Password) implements Material {
        @Override public void fields(ObjectNode o) {
            o.put("client_p12_base64", p12Base64.utf8());
            o.put("client_p12_password", p12Password.utf8());
        }
    }

    @Override public Set<String> configFields() { return Set.of(); }

    @Override public KindConfig config(ObjectNode json, KindConfig.Common common) { return new Config(common); }

    @Override public Detail missing() { return new Detail.NeedsMaterial(); }

    @Override public Material material(ObjectNode body) {
        Kind.only(body, Set.of("client_p12_base64", "client_p12_password"));
        Secret p12 = Secret.ofUtf8(Kind.required(body, "client_p12_base64", 256 * 1024));
        JsonNode pw = body.get("client_p12_password");
        if (pw != null && !pw.isNull() && !pw.isTextual()) throw ApiException.invalidRequest("Field 'client_p12_password' must be a string.");
        ClientCertificate m = new ClientCertificate(p12, Secret.ofUtf8(pw == null || pw.isNull() ? "" : pw.asText()));
        // fail now, with a clear message, rather than at the probe
        keys(m);
        return m;
    }

    @Override public Material decode(JsonNode stored) {
        Secret pw = Kind.secret(stored, "client_p12_password");
        return new ClientCertificate(Kind.secret(stored, "client_p12_base64"), pw == null ? Secret.ofUtf8("") : pw);
    }

    /** The certificate goes in the TLS handshake: nothing is added to the request. */
    @Override public Injector injector(KindConfig config, Material material, Secret bearer) { return Injector.NONE; }

    @Override public KeyManager[] keys(Material material) {
        ClientCertificate c = (ClientCertificate) material;
        return Tls.clientKeys(c.p12Base64(), c.p12Password());
    }
}
