package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Times;
import com.airotech.connect.pki.Pem;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation grace with an injected clock: the previous credential is accepted at grace − 1 ms and is credential_expired at grace. */
class RotationGraceIT {
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        g = TestGateway.start(clock);
        acme = g.tenant("acme");
    }

    @AfterEach
    void stop() { g.close(); }

    private TestGateway.Response hmac(JsonNode c, String whsec) {
        byte[] body = Signer.event("door_open", null);
        return g.ingest(c.get("webhook_path").asText(), body, Signer.hmac(whsec, body, Senders.newMessageId(), clock.instant().getEpochSecond()));
    }

    private TestGateway.Response rsa(JsonNode c, PrivateKey key) {
        byte[] body = Signer.event("door_open", null);
        return g.ingest(c.get("webhook_path").asText(), body, Senders.rsa(key, body, Senders.newMessageId(), clock.instant().getEpochSecond()));
    }

    private TestGateway.Response rotate(JsonNode c, String body) {
        TestGateway.Response r = g.postJson(acme.token(), "/api/connectors/" + c.get("connector_id").asText() + "/rotate", body);
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    @Test
    void aRotatedHmacSecretIsAcceptedUntilOneMillisecondBeforeTheGraceEndsAndExpiredAtIt() {
        JsonNode c = g.register(acme, "hmac", "\"grace_seconds\":120");
        String old = c.get("credential").asText();
        assertThat(hmac(c, old).status()).isEqualTo(202);
        Instant rotatedAt = clock.instant();
        TestGateway.Response rot = rotate(c, "{}");
        String fresh = rot.text("credential");
        Instant until = Times.parse(rot.text("previous_valid_until"), "previous_valid_until");
        assertThat(until).isEqualTo(rotatedAt.plusSeconds(120));

        clock.set(until.minusMillis(1));
        assertThat(hmac(c, old).status()).isEqualTo(202);
        assertThat(hmac(c, fresh).status()).isEqualTo(202);

        clock.set(until);
        TestGateway.Response expired = hmac(c, old);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.error()).isEqualTo("credential_expired");
        assertThat(hmac(c, fresh).status()).isEqualTo(202);
    }

    @Test
    void aRotatedRsaKeyIsAcceptedUntilOneMillisecondBeforeTheGraceEndsAndExpiredAtIt() {
        JsonNode c = g.register(acme, "rsa", null);
        assertThat(c.get("credential").isNull()).isTrue();
        PrivateKey old = Senders.privateKey(c.get("private_key_pem").asText());
        assertThat(rsa(c, old).status()).isEqualTo(202);

        KeyPair next = Senders.rsaKeyPair(2048);
        String pem = Pem.write(next.getPublic()).replace("\n", "\\n");
        TestGateway.Response rot = rotate(c, "{\"public_key_pem\":\"" + pem + "\",\"grace_seconds\":30}");
        assertThat(rot.json().has("private_key_pem")).isFalse();
        Instant until = Times.parse(rot.text("previous_valid_until"), "previous_valid_until");

        clock.set(until.minusMillis(1));
        assertThat(rsa(c, old).status()).isEqualTo(202);
        assertThat(rsa(c, next.getPrivate()).status()).isEqualTo(202);

        clock.set(until);
        TestGateway.Response expired = rsa(c, old);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.error()).isEqualTo("credential_expired");
        assertThat(rsa(c, next.getPrivate()).status()).isEqualTo(202);
    }

    @Test
    void rsaFollowsTheHmacWindowAndReplayRules() {
        JsonNode c = g.register(acme, "rsa", null);
        PrivateKey key = Senders.privateKey(c.get("private_key_pem").asText());
        byte[] body = Signer.event("door_open", null);
        List<String> headers = Senders.rsa(key, body, "msg-once", clock.instant().getEpochSecond());
        assertThat(g.ingest(c.get("webhook_path").asText(), body, headers).status()).isEqualTo(202);
        TestGateway.Response again = g.ingest(c.get("webhook_path").asText(), body, headers);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("replayed");

        List<String> stale = Senders.rsa(key, body, "msg-stale", clock.instant().getEpochSecond() - 301);
        assertThat(g.ingest(c.get("webhook_path").asText(), body, stale).error()).isEqualTo("timestamp_out_of_range");

        List<String> tampered = Senders.rsa(key, body, "msg-tampered", clock.instant().getEpochSecond());
        TestGateway.Response bad = g.ingest(c.get("webhook_path").asText(), Signer.event("door_close", null), tampered);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.error()).isEqualTo("signature_invalid");

        JsonNode hmac = g.register(acme, "hmac", null);
        TestGateway.Response mismatch = g.ingest(hmac.get("webhook_path").asText(), body, Senders.rsa(key, body, "msg-x", clock.instant().getEpochSecond()));
        assertThat(mismatch.error()).isEqualTo("auth_method_mismatch");
    }

    @Test
    void rsaRegistrationRefusesShortKeysAndKeepsOnlyThePublicKey() {
        KeyPair weak = Senders.rsaKeyPair(1024);
        TestGateway.Response r = g.postJson(acme.token(), "/api/connectors/register",
                "{\"system_name\":\"weak\",\"auth_method\":\"rsa\",\"public_key_pem\":\"" + Pem.write(weak.getPublic()).replace("\n", "\\n") + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("2048");

        JsonNode generated = g.register(acme, "rsa", null);
        String id = generated.get("connector_id").asText();
        assertThat(g.get(acme.token(), "/api/connectors/" + id).raw()).doesNotContain("PRIVATE KEY");
        assertThat(generated.get("credential_sha256").asText()).hasSize(64);
    }
}
