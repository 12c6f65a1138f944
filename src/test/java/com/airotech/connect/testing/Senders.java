package com.airotech.connect.testing;

import com.airotech.connect.auth.StandardWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** What site gateways send for the methods beyond hmac/api_key/basic: v1r signatures and bearer tokens. */
public final class Senders {
    private static final AtomicLong IDS = new AtomicLong();

    private Senders() {}

    public static String newMessageId() { return "msg_" + IDS.incrementAndGet() + "_" + System.nanoTime(); }

    /** Standard Webhooks headers with a {@code v1r} RSA signature. */
    public static List<String> rsa(PrivateKey key, byte[] body, String id, long ts) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(StandardWebhooks.signedContent(id, ts, body));
            return List.of(StandardWebhooks.ID, id, StandardWebhooks.TIMESTAMP, Long.toString(ts),
                    StandardWebhooks.SIGNATURE, "v1r," + Base64.getEncoder().encodeToString(s.sign()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> bearer(String token) { return List.of("Authorization", "Bearer " + token); }

    /** {@code POST /oauth2/token} with HTTP Basic client authentication. */
    public static TestGateway.Response tokenRequest(TestGateway g, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return g.send(HttpRequest.newBuilder(g.uri("/oauth2/token")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    /** An access token for an oauth2 connector (fails the test if none is issued). */
    public static String token(TestGateway g, String clientId, String secret) {
        TestGateway.Response r = tokenRequest(g, clientId, secret);
        if (r.status() != 200) throw new AssertionError("token endpoint answered " + r.status() + " " + r.raw());
        JsonNode t = r.json().get("access_token");
        return t.asText();
    }
}
