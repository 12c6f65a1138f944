package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/** Kind {@code basic}: HTTP Basic with a username and password (a BMS gateway). */
public final class BasicKind implements Kind {
    public record Config(Common common) implements KindConfig {
        @Override public void fields(ObjectNode o) { }
    }

    public record Password(Secret username, Secret password) implements Material {
        @Override public void fields(ObjectNode o) {
            o.put("username", username.utf8());
            o.put("password", password.utf8());
        }
    }

    @Override public Set<String> configFields() { return Set.of(); }

    @Override public KindConfig config(ObjectNode json, KindConfig.Common common) { return new Config(common); }

    @Override public Detail missing() { return new Detail.NeedsMaterial(); }

    @Override public Material material(ObjectNode body) {
        Kind.only(body, Set.of("username", "password"));
        String user = Kind.required(body, "username", 256);
        if (user.contains(":")) throw ApiException.invalidRequest("Field 'username' cannot contain ':' (HTTP Basic separates it from the password with one).");
        return new Password(Secret.ofUtf8(user), Secret.ofUtf8(Kind.required(body, "password", 1024)));
    }

    @Override public Material decode(JsonNode stored) {
        return new Password(Secret.ofUtf8(stored.path("username").asText()), Secret.ofUtf8(stored.path("password").asText()));
    }

    @Override public Injector injector(KindConfig config, Material material, Secret bearer) {
        Password p = (Password) material;
        String pair = p.username().utf8() + ":" + p.password().utf8();
        return Injector.header("Authorization", Secret.ofUtf8("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
}
