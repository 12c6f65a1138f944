package com.airotech.connect.backup;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a backup file holds: the product version and database schema that wrote it, when, and every
 * part with its size and SHA-256. The manifest itself is covered by {@code manifest.sha256} beside it.
 */
public record BackupManifest(String format, String productVersion, int schema, Instant createdAt, List<Part> parts) {
    public static final String FORMAT = "airotech-backup/1";

    /** One file of the data directory, as stored in the backup. */
    public record Part(String name, long size, String sha256) {
        public Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
            if (size < 0) throw new IllegalArgumentException("size");
        }

        ObjectNode toJson() { return Json.object().put("name", name).put("size", size).put("sha256", sha256); }
    }

    public BackupManifest {
        parts = List.copyOf(parts);
    }

    public long totalBytes() { return parts.stream().mapToLong(Part::size).sum(); }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("format", format).put("product_version", productVersion).put("schema", schema)
                .put("created_at", Times.format(createdAt));
        ArrayNode a = o.putArray("parts");
        for (Part p : parts) a.add(p.toJson());
        return o;
    }

    /** Reads a manifest; any missing or malformed field is a damaged backup. */
    static BackupManifest fromJson(JsonNode n) {
        String format = n.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("its format is '" + format + "', not " + FORMAT);
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode p : n.path("parts")) {
            String sha = p.path("sha256").asText("");
            if (!sha.matches("[0-9a-f]{64}") || !p.path("size").canConvertToLong() || !p.path("name").isTextual()) {
                throw new IllegalArgumentException("a part's entry is malformed");
            }
            parts.add(new Part(p.get("name").asText(), p.get("size").asLong(), sha));
        }
        if (!n.path("schema").canConvertToInt() || !n.path("created_at").isTextual()) throw new IllegalArgumentException("schema or created_at is missing");
        return new BackupManifest(format, n.path("product_version").asText("unknown"), n.get("schema").asInt(),
                Times.parse(n.get("created_at").asText(), "created_at"), parts);
    }
}
