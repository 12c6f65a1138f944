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

    /** For JSON already accepted and stored (event bodies may repeat a name inside data; the last one wins). */
    private static final ObjectMapper STORED = JsonMapper.builder().build();

    private Json() {}

    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    /** Parses a request body; anything that is not one JSON value is {@code 400 invalid_json}. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.invalidJson("The request body is empty; send a JSON document.");
        if (!isUtf8(body)) throw ApiException.invalidJson("The request body is not valid UTF-8 (RFC 8259 requires UTF-8).");
        try (JsonParser p = MAPPER.getFactory().createParser(body)) {
            JsonNode node = MAPPER.readTree(p);
            if (node == null) throw ApiException.invalidJson("The request body is empty; send a JSON document.");
            return node;
        } catch (IOException e) {
            throw ApiException.invalidJson("The request body is not valid JSON: " + reason(e));
        }
    }

    /** Strict UTF-8: no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
    public static boolean isUtf8(byte[] bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
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
            return STORED.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static JsonNode tree(byte[] bytes) {
        try {
            return STORED.readTree(bytes);
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

    private static final java.util.regex.Pattern START_MARKER = java.util.regex.Pattern.compile("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final java.util.regex.Pattern LIMIT_SOURCE = java.util.regex.Pattern.compile(",? from `[^`]*`");

    /** Jackson's message without the source excerpt (which could echo body bytes), with the line and column instead. */
    public static String reason(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (m == null) return "unreadable input";
        int cut = m.indexOf("\n");
        m = cut > 0 ? m.substring(0, cut) : m;
        // "(start marker at [Source: (byte[])"…"; line: 1, column: 1])": the sender wants the place, not the source
        m = START_MARKER.matcher(m).replaceAll("(opened at line $1, column $2)");
        cut = m.indexOf(" at [Source");
        m = cut > 0 ? m.substring(0, cut) : m;
        // a parser limit names the library's setting, e.g. ", from `StreamReadConstraints.getMaxNestingDepth()`"
        m = LIMIT_SOURCE.matcher(m).replaceAll("");
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null && jpe.getLocation().getLineNr() > 0) {
            m = m + " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() + ")";
        }
        return Text.sanitize(m, 200);
    }
}
