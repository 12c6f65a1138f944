package com.airotech.connect.simulate;

import com.airotech.connect.auth.StandardWebhooks;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * One site gateway posting events with the credential that {@code import} printed for its connector,
 * authenticated the way its method requires (API.md §4, §5). The credential stays in a {@link Secret}.
 */
final class SimulatedGateway {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final String connectorId;
    final String systemName;
    final String method;
    private final URI ingestUri;
    private final HttpClient http;
    private final Secret credential;
    private final PrivateKey rsaKey;
    private final URI tokenUri;
    private final Clock clock;
    final EventFactory events;
    private String accessToken;
    private Instant tokenExpires = Instant.EPOCH;

    private SimulatedGateway(String connectorId, String systemName, String method, URI ingestUri, HttpClient http, Secret credential,
                             PrivateKey rsaKey, URI tokenUri, Clock clock, EventFactory events) {
        this.connectorId = connectorId;
        this.systemName = systemName;
        this.method = method;
        this.ingestUri = ingestUri;
        this.http = http;
        this.credential = credential;
        this.rsaKey = rsaKey;
        this.tokenUri = tokenUri;
        this.clock = clock;
        this.events = events;
    }

    /** A gateway for one connector entry of the import report; null (with the reason on stderr) when it has no material. */
    static SimulatedGateway of(JsonNode c, URI httpBase, URI httpsBase, HttpClient plain, Clock clock) throws IOException, GeneralSecurityException {
        String id = c.path("connector_id").asText(null);
        String path = c.path("webhook_path").asText(null);
        String method = c.path("auth_method").asText("");
        String name = c.path("system_name").asText(id);
        if (id == null || path == null) return null;
        List<String> types = c.path("event_types").isArray()
                ? Json.MAPPER.convertValue(c.get("event_types"), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class))
                : defaultTypes(method);
        EventFactory events = new EventFactory(types.isEmpty() ? defaultTypes(method) : types, id.hashCode());
        Secret cred = c.hasNonNull("credential") ? Secret.ofUtf8(c.get("credential").asText()) : null;
        URI ingest = httpBase.resolve(path);
        switch (method) {
            case "hmac", "api_key", "basic":
                if (cred == null) return skip(name, "no credential in the file (it is printed only by the import that created the connector)");
                return new SimulatedGateway(id, name, method, ingest, plain, cred, null, null, clock, events);
            case "oauth2":
                if (cred == null) return skip(name, "no client secret in the file");
                return new SimulatedGateway(id, name, method, ingest, plain, cred, null, httpBase.resolve("/oauth2/token"), clock, events);
            case "rsa":
                if (!c.hasNonNull("private_key_pem")) return skip(name, "no private_key_pem in the file (a gateway that brought its own key signs for itself)");
                return new SimulatedGateway(id, name, method, ingest, plain, null, privateKey(c.get("private_key_pem").asText()), null, clock, events);
            case "mtls":
                if (!c.hasNonNull("client_p12_base64") || !c.hasNonNull("client_p12_password")) return skip(name, "no client_p12_base64 in the file");
                HttpClient tls = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                        .sslContext(clientTls(c.get("client_p12_base64").asText(), c.get("client_p12_password").asText(), plain, httpBase)).build();
                return new SimulatedGateway(id, name, method, httpsBase.resolve(path), tls, null, null, null, clock, events);
            default:
                return skip(name, "unknown auth_method '" + method + "'");
        }
    }

    private static SimulatedGateway skip(String name, String why) {
        System.err.println("simulate: skipping " + name + ": " + why + ".");
        return null;
    }

    static List<String> defaultTypes(String method) {
        return switch (method) {
            case "hmac" -> List.of("temp_reading", "hvac_status", "alarm");
            case "api_key" -> List.of("door_open", "door_closed", "door_forced");
            case "basic" -> List.of("meter_reading");
            default -> List.of("temp_reading", "door_open", "meter_reading", "alarm");
        };
    }

    /** Sends one event; returns the HTTP status (202 stored, 200 duplicate, anything else a rejection). */
    int send(String type, long seq) throws IOException, InterruptedException, GeneralSecurityException {
        Instant now = clock.instant();
        String eventId = "sim-" + connectorId.substring(Math.max(0, connectorId.length() - 8)) + "-" + seq + "-" + Crypto.hex(Crypto.randomBytes(4));
        byte[] body = Json.writeBytes(Json.object().put("event_type", type).put("event_id", eventId)
                .put("occurred_at", com.airotech.connect.common.Times.format(now)).set("data", events.data(type)));
        HttpRequest.Builder b = HttpRequest.newBuilder(ingestUri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        switch (method) {
            case "hmac" -> {
                String msgId = "msg_" + Crypto.hex(Crypto.randomBytes(12));
                long ts = now.getEpochSecond();
                b.header(StandardWebhooks.ID, msgId).header(StandardWebhooks.TIMESTAMP, Long.toString(ts))
                        .header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(credential.utf8(), msgId, ts, body));
            }
            case "rsa" -> {
                String msgId = "msg_" + Crypto.hex(Crypto.randomBytes(12));
                long ts = now.getEpochSecond();
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(rsaKey);
                s.update(StandardWebhooks.signedContent(msgId, ts, body));
                b.header(StandardWebhooks.ID, msgId).header(StandardWebhooks.TIMESTAMP, Long.toString(ts))
                        .header(StandardWebhooks.SIGNATURE, "v1r," + Base64.getEncoder().encodeToString(s.sign()));
            }
            case "api_key" -> b.header("X-Api-Key", credential.utf8());
            case "basic" -> b.header("Authorization", basic(connectorId, credential));
            case "oauth2" -> b.header("Authorization", "Bearer " + token());
            default -> { /* mtls: the client certificate is the credential */ }
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401 && "oauth2".equals(method)) tokenExpires = Instant.EPOCH; // fetch a fresh token next time
        if (r.statusCode() >= 300) {
            JsonNode err = parse(r.body());
            lastError = r.statusCode() + " " + (err == null ? "" : err.path("error").asText("") + ": " + err.path("message").asText(""));
        }
        return r.statusCode();
    }

    volatile String lastError;

    /** Where this gateway posts (scheme, host and port), and the option that changes it. */
    String target() {
        return ingestUri.getScheme() + "://" + ingestUri.getRawAuthority() + ("https".equals(ingestUri.getScheme()) && "mtls".equals(method) ? " (--https-url)" : " (--url)");
    }

    private static String basic(String user, Secret password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password.utf8()).getBytes(StandardCharsets.UTF_8));
    }

    private String token() throws IOException, InterruptedException {
        if (accessToken != null && clock.instant().isBefore(tokenExpires)) return accessToken;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUri).timeout(TIMEOUT)
                .header("Authorization", basic(connectorId, credential))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = parse(r.body());
        if (r.statusCode() != 200 || j == null || !j.hasNonNull("access_token")) {
            throw new IOException("the token endpoint answered " + r.statusCode() + (j == null ? "" : " " + j.path("error").asText("")));
        }
        accessToken = j.get("access_token").asText();
        tokenExpires = clock.instant().plusSeconds(Math.max(10, j.path("expires_in").asLong(300) - 30));
        return accessToken;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) return conv.getKeyPair(kp).getPrivate();
            if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
            throw new IOException("private_key_pem is not an RSA private key");
        }
    }

    /** TLS with the issued client certificate, trusting the gateway's local CA (GET /api/pki/ca.pem over loopback HTTP). */
    private static SSLContext clientTls(String p12Base64, String password, HttpClient plain, URI httpBase)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] pw = password.toCharArray();
        ks.load(new ByteArrayInputStream(Base64.getDecoder().decode(p12Base64)), pw);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        HttpResponse<byte[]> ca;
        URI caUri = httpBase.resolve("/api/pki/ca.pem");
        try {
            ca = plain.send(HttpRequest.newBuilder(caUri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the gateway's CA");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach the gateway at " + httpBase + " to fetch its CA certificate (" + caUri + ") for the mtls gateway ("
                    + e.getClass().getSimpleName() + "). Is 'airotech-connect serve' (or the console) running? Use --url for another address.");
        }
        if (ca.statusCode() != 200) {
            throw new IllegalStateException(caUri + " answered " + ca.statusCode() + " instead of the gateway's CA certificate: is an AIROTECH Connect gateway "
                    + "listening there? Use --url for the gateway's HTTP address.");
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca.body()))) {
            trust.setCertificateEntry("ca" + i++, (X509Certificate) cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
