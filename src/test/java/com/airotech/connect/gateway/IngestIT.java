package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest against the real gateway on a free port: every answer of API.md §2 this part can give. */
class IngestIT {
    static TestGateway gw;
    static TenantHandle acme;
    static JsonNode hmac;
    static JsonNode apiKey;
    static JsonNode basic;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        acme = gw.tenant("acme");
        hmac = gw.register(acme, "hmac", "\"event_types\":[\"door_open\",\"temp_reading\"],\"webhook_url\":\"https://bms-north.example/hooks\"");
        apiKey = gw.register(acme, "api_key", null);
        basic = gw.register(acme, "basic", null);
    }

    @AfterAll
    static void stop() { gw.close(); }

    static String path(JsonNode c) { return c.get("webhook_path").asText(); }
    static String secret(JsonNode c) { return c.get("credential").asText(); }

    @Test
    void registrationAnswersTheContractFieldsAndTheHashOfTheCredential() throws Exception {
        assertThat(hmac.get("connector_id").asText()).startsWith("cn_");
        assertThat(hmac.get("tenant_id").asText()).isEqualTo(acme.tenantId());
        assertThat(secret(hmac)).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret(hmac).substring(6))).hasSize(32);
        assertThat(hmac.get("credential_sha256").asText())
                .isEqualTo(com.airotech.connect.common.Crypto.sha256Hex(secret(hmac)));
        assertThat(path(hmac)).isEqualTo("/api/events/ingest/" + acme.tenantId() + "/" + hmac.get("connector_id").asText());
        assertThat(Instant.parse(hmac.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(secret(apiKey).length()).isGreaterThanOrEqualTo(43); // 256 bits in base64url
        assertThat(secret(basic).length()).isGreaterThanOrEqualTo(43);
    }

    @Test
    void theCredentialIsNeverReturnedAgain() {
        Response one = gw.get(acme.token(), "/api/connectors/" + hmac.get("connector_id").asText());
        Response all = gw.get(acme.token(), "/api/connectors");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().has("credential")).isFalse();
        assertThat(one.raw()).doesNotContain(secret(hmac)).doesNotContain(secret(hmac).substring(6));
        assertThat(all.raw()).doesNotContain(secret(hmac)).doesNotContain(secret(apiKey)).doesNotContain(secret(basic));
        assertThat(gw.get(acme.token(), "/api/audit").raw()).doesNotContain(secret(hmac)).doesNotContain(secret(apiKey));
    }

    @Test
    void aSignedEventIsAcceptedAndReadBack() {
        byte[] body = Signer.event("door_open", "evt-accepted-1");
        Response r = gw.ingest(path(hmac), body, Signer.hmac(secret(hmac), body));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.text("event_id")).isEqualTo("evt-accepted-1");
        Response events = gw.get(acme.token(), "/api/events?connector_id=" + hmac.get("connector_id").asText() + "&type=door_open");
        assertThat(events.json().get("events").findValuesAsText("event_id")).contains("evt-accepted-1");
        JsonNode stored = null;
        for (JsonNode e : events.json().get("events")) if (e.get("event_id").asText().equals("evt-accepted-1")) stored = e;
        assertThat(stored.get("data").get("value").asDouble()).isEqualTo(21.5);
        assertThat(stored.get("occurred_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void eachMethodAuthenticatesWithItsOwnCredential() {
        byte[] body = Signer.event("meter", null);
        assertThat(gw.ingest(path(apiKey), body, Signer.apiKey(secret(apiKey))).status()).isEqualTo(202);
        assertThat(gw.ingest(path(basic), body, Signer.basic(basic.get("connector_id").asText(), secret(basic))).status()).isEqualTo(202);
        assertThat(gw.ingest(path(apiKey), body, Signer.apiKey(secret(apiKey) + "x")).error()).isEqualTo("unauthorized");
        assertThat(gw.ingest(path(basic), body, Signer.basic("someone-else", secret(basic))).error()).isEqualTo("unauthorized");
        assertThat(gw.ingest(path(basic), body, Signer.basic(basic.get("connector_id").asText(), secret(apiKey))).error()).isEqualTo("unauthorized");
    }

    @Test
    void anotherMethodsCredentialIsAMismatchAndNoneIsUnauthorized() {
        byte[] body = Signer.event("door_open", null);
        Response mismatch = gw.ingest(path(hmac), body, Signer.apiKey(secret(apiKey)));
        assertThat(mismatch.status()).isEqualTo(401);
        assertThat(mismatch.error()).isEqualTo("auth_method_mismatch");
        assertThat(gw.ingest(path(apiKey), body, Signer.hmac(secret(hmac), body)).error()).isEqualTo("auth_method_mismatch");
        assertThat(gw.ingest(path(basic), body, List.of("Authorization", "Bearer abc")).error()).isEqualTo("auth_method_mismatch");
        Response none = gw.ingest(path(hmac), body, List.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("unauthorized");
    }

    @Test
    void aWrongSignatureAndAStaleTimestampAreRefused() {
        byte[] body = Signer.event("door_open", null);
        List<String> headers = new ArrayList<>(Signer.hmac(secret(hmac), body));
        byte[] other = Signer.event("temp_reading", null);
        Response bad = gw.ingest(path(hmac), other, headers);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.error()).isEqualTo("signature_invalid");
        long stale = Instant.now().minusSeconds(301).getEpochSecond();
        Response old = gw.ingest(path(hmac), body, Signer.hmac(secret(hmac), body, "msg-stale", stale));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.error()).isEqualTo("timestamp_out_of_range");
    }

    @Test
    void aReplayedMessageIdIsAConflictAndARepeatedEventIdADuplicate() {
        byte[] body = Signer.event("door_open", "evt-dup");
        List<String> h = Signer.hmac(secret(hmac), body);
        Response first = gw.ingest(path(hmac), body, h);
        assertThat(first.status()).isEqualTo(202);
        Response replay = gw.ingest(path(hmac), body, h);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.error()).isEqualTo("replayed");
        Response again = gw.ingest(path(hmac), body, Signer.hmac(secret(hmac), body));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.text("event_id")).isEqualTo("evt-dup");
        assertThat(again.text("received_at")).isEqualTo(first.text("received_at"));
        Response events = gw.get(acme.token(), "/api/events?limit=1000");
        assertThat(events.json().get("events").findValuesAsText("event_id").stream().filter("evt-dup"::equals)).hasSize(1);
    }

    @Test
    void aRejectedSignedMessageLeavesItsIdFreeForACorrectedSend() {
        byte[] bad = "{\"event_type\":\"Not Valid\"}".getBytes(StandardCharsets.UTF_8);
        List<String> h = Signer.hmac(secret(hmac), bad, "msg-fixed-later", Instant.now().getEpochSecond());
        assertThat(gw.ingest(path(hmac), bad, h).error()).isEqualTo("invalid_event_type");
        byte[] good = Signer.event("door_open", null);
        Response ok = gw.ingest(path(hmac), good, Signer.hmac(secret(hmac), good, "msg-fixed-later", Instant.now().getEpochSecond()));
        assertThat(ok.status()).isEqualTo(202);
    }

    @Test
    void badBodiesGetTheirCodes() {
        String k = secret(apiKey);
        assertThat(gw.ingest(path(apiKey), "{not json".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_json");
        assertThat(gw.ingest(path(apiKey), "".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_json");
        assertThat(gw.ingest(path(apiKey), "{\"event_type\":\"a\"} {}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_json");
        assertThat(gw.ingest(path(apiKey), "{\"event_type\":\"a\",\"event_type\":\"b\"}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_json");
        assertThat(gw.ingest(path(apiKey), "[1,2]".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_request");
        assertThat(gw.ingest(path(apiKey), "{\"data\":{}}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_request");
        assertThat(gw.ingest(path(apiKey), "{\"event_type\":\"Door Open\"}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_event_type");
        assertThat(gw.ingest(path(apiKey), ("{\"event_type\":\"" + "a".repeat(65) + "\"}").getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_event_type");
        assertThat(gw.ingest(path(apiKey), "{\"event_type\":\"a\",\"occurred_at\":\"yesterday\"}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_request");
        assertThat(gw.ingest(path(apiKey), "{\"event_type\":\"a\",\"event_id\":7}".getBytes(), Signer.apiKey(k)).error()).isEqualTo("invalid_request");
        Response notAllowed = gw.ingest(path(hmac), Signer.event("alarm", null), Signer.hmac(secret(hmac), Signer.event("alarm", null)));
        assertThat(notAllowed.status()).isEqualTo(400);
        assertThat(notAllowed.error()).isEqualTo("invalid_event_type");
        Response json = gw.ingest(path(apiKey), "{\"event_type\":\"a\"}".getBytes(), List.of("X-Api-Key", k, "Content-Type", "text/plain"));
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.error()).isEqualTo("unsupported_media_type");
        Response charset = gw.ingest(path(apiKey), "{\"event_type\":\"a\"}".getBytes(), List.of("X-Api-Key", k, "Content-Type", "application/json; charset=utf-8"));
        assertThat(charset.status()).isEqualTo(202);
    }

    @Test
    void aBodyOverOneMebibyteIsTooLargeDeclaredOrChunked() {
        byte[] big = ("{\"event_type\":\"a\",\"data\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes();
        Response declared = gw.ingest(path(apiKey), big, Signer.apiKey(secret(apiKey)));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.error()).isEqualTo("payload_too_large");
        HttpRequest chunked = HttpRequest.newBuilder(gw.uri(path(apiKey)))
                .header("X-Api-Key", secret(apiKey)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        Response r = gw.send(chunked);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).isEqualTo("payload_too_large");
    }

    @Test
    void unknownAndRevokedConnectorsAreUnauthorizedAndUnknownRoutesNotFound() {
        byte[] body = Signer.event("a", null);
        assertThat(gw.ingest("/api/events/ingest/" + acme.tenantId() + "/cn_doesnotexist", body, Signer.apiKey(secret(apiKey))).error()).isEqualTo("unauthorized");
        JsonNode doomed = gw.register(acme, "api_key", null);
        assertThat(gw.ingest(path(doomed), body, Signer.apiKey(secret(doomed))).status()).isEqualTo(202);
        Response revoked = gw.delete(acme.token(), "/api/connectors/" + doomed.get("connector_id").asText());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(gw.ingest(path(doomed), body, Signer.apiKey(secret(doomed))).status()).isEqualTo(401);
        // it is still there (GET shows it revoked): rotating it conflicts with its state, and mints nothing
        String auditBefore = gw.get(acme.token(), "/api/audit?limit=1000").raw();
        Response rotate = gw.postJson(acme.token(), "/api/connectors/" + doomed.get("connector_id").asText() + "/rotate", "{}");
        assertThat(rotate.status()).isEqualTo(409);
        assertThat(rotate.json().get("message").asText()).contains("revoked").contains("Register a new connector");
        assertThat(rotate.raw()).doesNotContain("credential\"");
        assertThat(gw.get(acme.token(), "/api/audit?limit=1000").raw()).isEqualTo(auditBefore);
        Response again = gw.delete(acme.token(), "/api/connectors/" + doomed.get("connector_id").asText());
        assertThat(again.status()).as("revoking twice is idempotent").isEqualTo(200);
        Response nf = gw.get(acme.token(), "/api/nothing-here");
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.error()).isEqualTo("not_found");
    }

    @Test
    void registrationValidatesEveryField() {
        String t = acme.token();
        assertThat(gw.postJson(t, "/api/connectors/register", "{\"auth_method\":\"hmac\"}").error()).isEqualTo("invalid_request");
        Response m = gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"carrier-pigeon\"}");
        assertThat(m.error()).isEqualTo("invalid_request");
        assertThat(m.json().get("message").asText()).contains("auth_method");
        Response u = gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"webhook_url\":\"https://user:pw@host/x\"}");
        assertThat(u.error()).isEqualTo("invalid_request");
        assertThat(u.json().get("message").asText()).contains("webhook_url");
        assertThat(gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"webhook_url\":\"ftp://host/x\"}").error()).isEqualTo("invalid_request");
        assertThat(gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"event_types\":[\"OK\"]}").error()).isEqualTo("invalid_request");
        assertThat(gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"grace_seconds\":86401}").error()).isEqualTo("invalid_request");
        // an empty allow-list would refuse every event; leaving it out (or null) accepts any type
        Response empty = gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"event_types\":[]}");
        assertThat(empty.error()).isEqualTo("invalid_request");
        assertThat(empty.json().get("message").asText()).contains("event_types").contains("leave it out");
        assertThat(gw.postJson(t, "/api/connectors/register", "{\"system_name\":\"x\",\"auth_method\":\"hmac\",\"event_types\":null}").status()).isEqualTo(201);
        assertThat(gw.postJson(t, "/api/connectors/register", "{oops").error()).isEqualTo("invalid_json");
        Response noType = gw.send(gw.admin(t, "/api/connectors/register").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(noType.status()).isEqualTo(415);
        Response noToken = gw.send(HttpRequest.newBuilder(gw.uri("/api/connectors")).GET().build());
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.error()).isEqualTo("unauthorized");
        assertThat(gw.get("atk_wrong", "/api/connectors").status()).isEqualTo(401);
    }

    @Test
    void aFullWriterQueueAnswersUnavailableWithRetryAfterAndStoresNothing() throws Exception {
        try (TestGateway small = TestGateway.start(com.airotech.connect.app.Config.defaults(TestGateway.tempDir().resolve("d"))
                .withPorts(0, -1).withWriterQueue(1))) {
            TenantHandle t = small.tenant("small");
            JsonNode c = small.register(t, "api_key", null);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try (var other = DriverManager.getConnection("jdbc:sqlite:" + small.dataDir.resolve("airotech.db")); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // the writer cannot commit while this holds the lock
                List<Future<Response>> sent = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    byte[] body = Signer.event("meter", "held-" + i);
                    sent.add(pool.submit(() -> small.ingest(path(c), body, Signer.apiKey(secret(c)))));
                }
                Await.until("a 503 while the writer is blocked", () -> first503(sent) != null, Duration.ofSeconds(20));
                Response unavailable = first503(sent);
                assertThat(unavailable.error()).isEqualTo("unavailable");
                assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
                s.execute("ROLLBACK");
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    Response r = sent.get(i).get();
                    assertThat(r.status()).isIn(202, 503);
                    if (r.status() == 202) acknowledged.add("held-" + i);
                }
                List<String> stored = small.get(t.token(), "/api/events?limit=100").json().get("events").findValuesAsText("event_id");
                assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The first finished answer that is a 503, or null. */
    private static Response first503(List<Future<Response>> sent) {
        for (Future<Response> f : sent) {
            if (!f.isDone()) continue;
            try {
                if (f.get().status() == 503) return f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    @Test
    void concurrentSendersAreAllAcknowledgedAndStoredOnce() throws Exception {
        JsonNode c = gw.register(acme, "hmac", null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] body = Signer.event("meter", "conc-" + i);
                sent.add(CompletableFuture.supplyAsync(() -> gw.ingest(path(c), body, Signer.hmac(secret(c), body)), pool));
            }
            for (CompletableFuture<Response> f : sent) assertThat(f.get().status()).isEqualTo(202);
            JsonNode page = gw.get(acme.token(), "/api/events?limit=1000&connector_id=" + c.get("connector_id").asText()).json();
            assertThat(page.get("events")).hasSize(400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eventsPageThroughWithCursors() {
        JsonNode c = gw.register(acme, "api_key", null);
        for (int i = 0; i < 25; i++) {
            assertThat(gw.ingest(path(c), Signer.event("page", "p-" + i), Signer.apiKey(secret(c))).status()).isEqualTo(202);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = gw.get(acme.token(), "/api/events?limit=10&type=page" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(r.json().get("events").findValuesAsText("event_id"));
            cursor = r.json().get("next_cursor").isNull() ? null : r.json().get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().startsWith("p-0", "p-1");
        assertThat(gw.get(acme.token(), "/api/events?cursor=abc").error()).isEqualTo("invalid_request");
        assertThat(gw.get(acme.token(), "/api/events?limit=0").error()).isEqualTo("invalid_request");
    }
}
