package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** Kind {@code none}: no credential; only the address policy, TLS and the probe apply. */
public final class NoneKind implements Kind {
    public record Config(Common common) implements KindConfig {
        @Override public void fields(ObjectNode o) { }
    }

    /** The material of a connection that takes none. */
    public record Nothing() implements Material {
        @Override public void fields(ObjectNode o) { }
    }

    @Override public Set<String> configFields() { return Set.of(); }

    @Override public KindConfig config(ObjectNode json, KindConfig.Common common) { return new Config(common); }

    @Override public Detail missing() { return new Detail.NeedsProbe(); }

    @Override public Material material(ObjectNode body) { throw ApiException.invalidRequest("A connection of kind none takes no credential."); }

    @Override public Material decode(JsonNode stored) { return new Nothing(); }

    @Override public Injector injector(KindConfig config, Material material, Secret bearer) { return Injector.NONE; }
}
