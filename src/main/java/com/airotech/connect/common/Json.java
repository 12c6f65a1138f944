package com.airotech.connect.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The platform's one configured Jackson mapper: strict on input, compact on output. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {}

    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    /** Parses a request body; anything that is not one JSON value is {@code 400 invalid_json}. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.invalidJson("The request body is empty; send a JSON document.");
        try (JsonParser p = MAPPER.getFactory().createParser(body)) {
            JsonNode node = MAPPER.readTree(p);
            if (node == null) throw ApiException.invalidJson("The request body is empty; send a JSON document.");
            return node;
        } catch (IOException e) {
            throw ApiException.invalidJson("The request body is not valid JSON: " + shortReason(e));
        }
    }

    public static ObjectNode parseObject(byte[] body) {
        JsonNode n = parse(body);
        if (!n.isObject()) throw ApiException.invalidRequest("The request body must be a JSON object.");
        return (ObjectNode) n;
    }

    /** Parses JSON the platform wrote itself (stored detail, stored bodies). */
    public static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static JsonNode tree(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Jackson's message without the source excerpt (which could echo body bytes). */
    private static String shortReason(IOException e) {
        String m = e.getMessage();
        if (m == null) return "unreadable input";
        int cut = m.indexOf("\n");
        m = cut > 0 ? m.substring(0, cut) : m;
        cut = m.indexOf(" at [Source");
        m = cut > 0 ? m.substring(0, cut) : m;
        return Text.sanitize(m, 160);
    }
}
