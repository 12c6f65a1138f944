package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.FromAddress;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1: a stranger who knows a connector id cannot lock it out. Failures are throttled per
 * (connector, address) and per address, token endpoint and ingest apart, and a request with a valid
 * credential is never refused. Senders on 127.0.0.2 and 127.0.0.3 are two machines to the gateway.
 */
class StrangerLockoutIT {
    private static final byte[] FORM = "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII);
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;

    @BeforeEach
    void start() {
        // five seconds into a minute: the whole test runs inside one throttling window
        clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5));
        g = TestGateway.start(clock);
        acme = g.tenant("acme");
    }

    @AfterEach
    void stop() { g.close(); }

    private static List<String> basic(String user, String secret) {
        return List.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    private FromAddress.Answer signedEvent(FromAddress from, JsonNode c, String whsec, long timestamp) {
        byte[] body = Signer.event("door_open", null);
        List<String> h = new ArrayList<>(Signer.hmac(whsec, body, Senders.newMessageId(), timestamp));
        return from.post(c.get("webhook_path").asText(), h, "application/json", body);
    }

    @Test
    void aThousandBadRequestsFromOneAddressNeverRefuseAGoodSenderOnAnother() {
        JsonNode hmac = g.register(acme, "hmac", null);
        JsonNode oauth = g.register(acme, "oauth2", null);
        String oauthId = oauth.get("connector_id").asText();
        FromAddress stranger = new FromAddress("127.0.0.3", g.port());
        FromAddress site = new FromAddress("127.0.0.2", g.port());
        String wrong = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        long now = clock.instant().getEpochSecond();

        List<String> goodRefusals = new ArrayList<>();
        int strangerLimited = 0;
        for (int i = 0; i < 1000; i++) {
            FromAddress.Answer bad = switch (i % 4) {
                case 0 -> stranger.post(hmac.get("webhook_path").asText(), List.of(), "application/json", Signer.event("door_open", null));
                case 1 -> signedEvent(stranger, hmac, wrong, now);
                case 2 -> signedEvent(stranger, hmac, wrong, now - 3600);
                default -> stranger.post("/oauth2/token", basic(oauthId, "not-the-secret"), "application/x-www-form-urlencoded", FORM);
            };
            assertThat(bad.status()).as(bad.body()).isIn(401, 429);
            if (bad.status() == 429) strangerLimited++;
            if (i % 50 == 0) {
                FromAddress.Answer event = signedEvent(site, hmac, hmac.get("credential").asText(), now);
                if (event.status() != 202) goodRefusals.add("event: " + event.status() + " " + event.body());
                FromAddress.Answer token = site.post("/oauth2/token", basic(oauthId, oauth.get("credential").asText()),
                        "application/x-www-form-urlencoded", FORM);
                if (token.status() != 200) goodRefusals.add("token: " + token.status() + " " + token.body());
            }
        }
        assertThat(goodRefusals).isEmpty();
        // the stranger itself is slowed down: most of its thousand failures were answered 429
        assertThat(strangerLimited).isGreaterThan(900);
    }

    @Test
    void aValidCredentialIsAcceptedEvenFromAnAddressThatFailedMany() {
        JsonNode c = g.register(acme, "api_key", null);
        FromAddress from = new FromAddress("127.0.0.4", g.port());
        for (int i = 0; i < 40; i++) {
            from.post(c.get("webhook_path").asText(), Signer.apiKey("ak_wrong" + i), "application/json", Signer.event("door_open", null));
        }
        FromAddress.Answer limited = from.post(c.get("webhook_path").asText(), Signer.apiKey("ak_wrong"), "application/json", Signer.event("door_open", null));
        assertThat(limited.status()).isEqualTo(429);
        FromAddress.Answer good = from.post(c.get("webhook_path").asText(), Signer.apiKey(c.get("credential").asText()), "application/json",
                Signer.event("door_open", null));
        assertThat(good.status()).as(good.body()).isEqualTo(202);
    }

    @Test
    void tokenEndpointFailuresAndIngestFailuresAreCountedApart() {
        JsonNode oauth = g.register(acme, "oauth2", null);
        JsonNode key = g.register(acme, "api_key", null);
        FromAddress from = new FromAddress("127.0.0.5", g.port());
        for (int i = 0; i < 40; i++) {
            from.post("/oauth2/token", basic(oauth.get("connector_id").asText(), "wrong" + i), "application/x-www-form-urlencoded", FORM);
        }
        assertThat(from.post("/oauth2/token", basic(oauth.get("connector_id").asText(), "wrong"), "application/x-www-form-urlencoded", FORM).status())
                .isEqualTo(429);
        // the same address's ingest failures start from zero: a plain 401 that says what failed
        FromAddress.Answer ingest = from.post(key.get("webhook_path").asText(), Signer.apiKey("ak_wrong"), "application/json", Signer.event("door_open", null));
        assertThat(ingest.status()).isEqualTo(401);
    }
}
