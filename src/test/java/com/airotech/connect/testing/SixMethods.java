package com.airotech.connect.testing;

import com.airotech.connect.pki.LocalCa;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A site gateway of each of the six inbound methods, sending one event with the material a
 * registration or rotation answer handed over ({@code credential}, {@code private_key_pem},
 * {@code client_p12_*}): mtls over the HTTPS listener, trusting only the gateway's CA.
 */
public final class SixMethods {
    public static final List<String> ALL = List.of("hmac", "api_key", "basic", "oauth2", "rsa", "mtls");

    private SixMethods() {}

    /** Sends one event as {@code connector}'s site gateway would with {@code material}; returns the HTTP status. */
    public static int send(TestGateway g, String method, JsonNode connector, JsonNode material) throws Exception {
        JsonNode types = connector.get("event_types");
        return send(g, method, connector, material, types != null && types.isArray() && !types.isEmpty() ? types.get(0).asText() : "door_open");
    }

    /** As {@link #send(TestGateway, String, JsonNode, JsonNode)}, with an event of {@code eventType}. */
    public static int send(TestGateway g, String method, JsonNode connector, JsonNode material, String eventType) throws Exception {
        String id = connector.get("connector_id").asText();
        String path = connector.get("webhook_path").asText();
        byte[] body = Signer.event(eventType, null);
        if (method.equals("mtls")) {
            HttpClient c = mtlsClient(material, LocalCa.parseCertificate(g.platform.ca().certificatePem()));
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.platform.gateway().httpsPort() + path))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        }
        List<String> headers = switch (method) {
            case "hmac" -> Signer.hmac(material.get("credential").asText(), body);
            case "api_key" -> Signer.apiKey(material.get("credential").asText());
            case "basic" -> Signer.basic(id, material.get("credential").asText());
            case "oauth2" -> Senders.bearer(Senders.token(g, id, material.get("credential").asText()));
            case "rsa" -> Senders.rsa(Senders.privateKey(material.get("private_key_pem").asText()), body, Senders.newMessageId(),
                    Instant.now().getEpochSecond());
            default -> throw new IllegalArgumentException(method);
        };
        return g.ingest(path, body, headers).status();
    }

    /** An HTTPS client presenting the PKCS#12 bundle of a registration answer and trusting only {@code ca}. */
    public static HttpClient mtlsClient(JsonNode answer, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] pw = answer.get("client_p12_password").asText().toCharArray();
        ks.load(new ByteArrayInputStream(Base64.getDecoder().decode(answer.get("client_p12_base64").asText())), pw);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return httpsClient(kmf, ca);
    }

    /** An HTTPS client (HTTP/1.1) presenting what {@code kmf} holds and trusting only {@code ca}. */
    public static HttpClient httpsClient(KeyManagerFactory kmf, X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
