package com.airotech.connect.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.secret.MasterKey;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes on the HTTPS listener, with client certificates from the local CA and from elsewhere. */
class MutualTlsIT {
    private ManualClock clock;
    private TestGateway g;
    private TestGateway.TenantHandle acme;
    private X509Certificate caCert;

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        java.nio.file.Path dir = TestGateway.tempDir().resolve("data");
        g = TestGateway.start(new Config(dir, "127.0.0.1", 0, 0, List.of("gw.example.test", "10.1.2.3"), null,
                Config.DEFAULT_MAX_BODY, 8192, clock));
        acme = g.tenant("acme");
        TestGateway.Response ca = g.send(HttpRequest.newBuilder(g.uri("/api/pki/ca.pem")).GET().build());
        assertThat(ca.status()).isEqualTo(200);
        caCert = LocalCa.parseCertificate(ca.raw());
    }

    @AfterEach
    void stop() { g.close(); }

    /** A client identity: a key and its chain. */
    record Identity(PrivateKey key, X509Certificate[] chain) {}

    static Identity fromP12(JsonNode answer) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] pw = answer.get("client_p12_password").asText().toCharArray();
        ks.load(new ByteArrayInputStream(Base64.getDecoder().decode(answer.get("client_p12_base64").asText())), pw);
        String alias = ks.aliases().nextElement();
        Certificate[] chain = ks.getCertificateChain(alias);
        List<X509Certificate> x = new ArrayList<>();
        for (Certificate c : chain) x.add((X509Certificate) c);
        return new Identity((PrivateKey) ks.getKey(alias, pw), x.toArray(new X509Certificate[0]));
    }

    /** Presents its certificate whatever CA the server asks for, as a hostile or misconfigured sender would. */
    static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final Identity id;

        FixedKeyManager(Identity id) { this.id = id; }

        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"c"}; }
        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return "c"; }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return "c"; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return id.chain(); }
        @Override public PrivateKey getPrivateKey(String alias) { return id.key(); }
    }

    HttpClient client(Identity id) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(id == null ? null : new javax.net.ssl.KeyManager[] {new FixedKeyManager(id)}, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> post(HttpClient c, String path, List<String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.platform.gateway().httpsPort() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Signer.event("door_open", null)));
        for (int i = 0; i < headers.size(); i += 2) b.header(headers.get(i), headers.get(i + 1));
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(HttpClient c, JsonNode connector) throws IOException, InterruptedException {
        return post(c, connector.get("webhook_path").asText(), List.of());
    }

    static String error(HttpResponse<String> r) { return Json.tree(r.body()).path("error").asText(); }

    @Test
    void anIssuedCertificateIsAcceptedAndNamesTheTenantAndTheConnector() throws Exception {
        JsonNode c = g.register(acme, "mtls", null);
        Identity id = fromP12(c);
        assertThat(id.chain()[0].getSubjectX500Principal().getName()).contains(c.get("connector_id").asText()).contains(acme.tenantId());
        assertThat(LocalCa.fingerprint(id.chain()[0])).isEqualTo(c.get("certificate_sha256").asText());
        long days = Duration.between(id.chain()[0].getNotBefore().toInstant(), id.chain()[0].getNotAfter().toInstant()).toDays();
        assertThat(days).isBetween(397L, 398L);
        HttpResponse<String> r = post(client(id), c);
        assertThat(r.statusCode()).isEqualTo(202);

        X509Certificate server = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
        List<String> sans = new ArrayList<>();
        for (List<?> san : server.getSubjectAlternativeNames()) sans.add(String.valueOf(san.get(1)));
        assertThat(sans).contains("localhost", "127.0.0.1", "gw.example.test", "10.1.2.3");
        assertThat(sans).anyMatch(s -> s.equals("0:0:0:0:0:0:0:1") || s.equals("::1"));
        server.verify(caCert.getPublicKey());
    }

    @Test
    void withoutAClientCertificateOrOverPlainHttpAnMtlsConnectorIsRefused() throws Exception {
        JsonNode c = g.register(acme, "mtls", null);
        HttpResponse<String> r = post(client(null), c);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).isEqualTo("unauthorized");
        TestGateway.Response plain = g.ingest(c.get("webhook_path").asText(), Signer.event("door_open", null), List.of());
        assertThat(plain.status()).isEqualTo(401);
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        JsonNode c = g.register(acme, "mtls", null);
        DataDirectory elsewhere = DataDirectory.open(TestGateway.tempDir().resolve("rogue"));
        LocalCa rogue = LocalCa.loadOrCreate(elsewhere, MasterKey.loadOrCreate(elsewhere), clock);
        KeyPair kp = LocalCa.newKeyPair();
        X509Certificate forged = rogue.issueClient(kp.getPublic(), acme.tenantId(), c.get("connector_id").asText(), 30);
        HttpClient client = client(new Identity(kp.getPrivate(), new X509Certificate[] {forged, rogue.certificate()}));
        assertThatThrownBy(() -> post(client, c)).isInstanceOf(IOException.class);
    }

    @Test
    void anExpiredCertificateFailsTheHandshake() throws Exception {
        JsonNode c = g.register(acme, "mtls", "\"certificate_days\":1");
        Identity id = fromP12(c);
        assertThat(post(client(id), c).statusCode()).isEqualTo(202);
        clock.advance(Duration.ofDays(2));
        HttpClient fresh = client(id);
        assertThatThrownBy(() -> post(fresh, c)).isInstanceOf(IOException.class);
    }

    @Test
    void anotherConnectorsCertificateIsRefused() throws Exception {
        JsonNode mine = g.register(acme, "mtls", null);
        JsonNode theirs = g.register(acme, "mtls", null);
        HttpResponse<String> r = post(client(fromP12(theirs)), mine);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).isEqualTo("unauthorized");
    }

    @Test
    void aCsrIsSignedForTheSendersOwnKeyWithTheSubjectReplaced() throws Exception {
        KeyPair kp = LocalCa.newKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=admin, O=Somebody Else"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        String csrPem = Pem.write(csr).replace("\n", "\\n");
        JsonNode c = g.register(acme, "mtls", "\"csr_pem\":\"" + csrPem + "\"");
        assertThat(c.has("client_p12_base64")).isFalse();
        X509Certificate cert = LocalCa.parseCertificate(c.get("client_certificate_pem").asText());
        assertThat(cert.getPublicKey()).isEqualTo(kp.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).contains(c.get("connector_id").asText()).doesNotContain("admin");
        assertThat(post(client(new Identity(kp.getPrivate(), new X509Certificate[] {cert})), c).statusCode()).isEqualTo(202);

        TestGateway.Response broken = g.postJson(acme.token(), "/api/connectors/register",
                "{\"system_name\":\"x\",\"auth_method\":\"mtls\",\"csr_pem\":\"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\\n\"}");
        assertThat(broken.status()).isEqualTo(400);
    }

    @Test
    void aRevokedConnectorsCertificateStopsWorkingAtOnceOnAnOpenConnection() throws Exception {
        JsonNode c = g.register(acme, "mtls", null);
        HttpClient client = client(fromP12(c));
        assertThat(post(client, c).statusCode()).isEqualTo(202);
        assertThat(g.delete(acme.token(), "/api/connectors/" + c.get("connector_id").asText()).status()).isEqualTo(200);
        assertThat(post(client, c).statusCode()).isEqualTo(401);
    }

    @Test
    void rotationIssuesANewCertificateAndTheOldOneEndsWithTheGrace() throws Exception {
        JsonNode c = g.register(acme, "mtls", null);
        HttpClient oldClient = client(fromP12(c));
        TestGateway.Response rot = g.postJson(acme.token(), "/api/connectors/" + c.get("connector_id").asText() + "/rotate", "{\"grace_seconds\":60}");
        assertThat(rot.status()).isEqualTo(200);
        HttpClient newClient = client(fromP12(rot.json()));
        assertThat(rot.text("certificate_sha256")).isNotEqualTo(c.get("certificate_sha256").asText());
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(post(oldClient, c).statusCode()).isEqualTo(202);
        assertThat(post(newClient, c).statusCode()).isEqualTo(202);
        clock.advance(Duration.ofMillis(1));
        HttpResponse<String> old = post(oldClient, c);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(error(old)).isEqualTo("credential_expired");
        assertThat(post(newClient, c).statusCode()).isEqualTo(202);
    }

    @Test
    void basicAndApiKeyAlsoWorkOverTheHttpsListenerWithoutACertificate() throws Exception {
        JsonNode basic = g.register(acme, "basic", null);
        JsonNode key = g.register(acme, "api_key", null);
        HttpClient anonymous = client(null);
        assertThat(post(anonymous, basic.get("webhook_path").asText(),
                Signer.basic(basic.get("connector_id").asText(), basic.get("credential").asText())).statusCode()).isEqualTo(202);
        assertThat(post(anonymous, key.get("webhook_path").asText(), Signer.apiKey(key.get("credential").asText())).statusCode()).isEqualTo(202);
        // a client certificate alone is TLS, not a claim of another method
        JsonNode mtls = g.register(acme, "mtls", null);
        assertThat(post(client(fromP12(mtls)), key.get("webhook_path").asText(), Signer.apiKey(key.get("credential").asText())).statusCode()).isEqualTo(202);
    }
}
