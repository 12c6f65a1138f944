package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.Recorder;
import com.airotech.connect.testing.TestCa;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: a name whose DNS answer flips between an allowed and a forbidden address (DNS
 * rebinding) never reaches the forbidden one, because the connection goes to exactly the address
 * that was checked; over https the name is still what TLS verifies. The tenant allows only
 * 127.0.0.2; the forbidden server listens on 127.0.0.1 at the same port.
 */
class DnsRebindingIT {
    TestGateway gw;
    TestGateway.TenantHandle t;

    @BeforeEach
    void start() {
        gw = TestGateway.start();
        t = gw.tenant("rebind-" + UUID.randomUUID().toString().substring(0, 6));
        gw.platform.connections().changePolicy(Principal.local(t.tenantId()), List.of("127.0.0.2/32"), null, false);
    }

    @AfterEach
    void stop() {
        gw.platform.connections().useNames(null);
        gw.close();
    }

    /** A DNS server that answers {@code name} with 127.0.0.2 and 127.0.0.1 in turn. */
    AtomicInteger flipping(String name) {
        AtomicInteger lookups = new AtomicInteger();
        gw.platform.connections().useNames(host -> {
            if (!host.equals(name)) throw new UnknownHostException(host);
            return List.of(InetAddress.getByName(lookups.getAndIncrement() % 2 == 0 ? "127.0.0.2" : "127.0.0.1"));
        });
        return lookups;
    }

    String create(String baseUrl, ObjectNode config) {
        ObjectNode body = Json.object().put("name", "rb-" + UUID.randomUUID().toString().substring(0, 8)).put("kind", "none")
                .put("base_url", baseUrl).put("probe_path", "/health");
        if (config != null) body.set("config", config);
        TestGateway.Response r = gw.postJson(t.token(), "/api/connections", Json.write(body));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("connection_id");
    }

    TestGateway.Response call(String id, String path) {
        return gw.postJson(t.token(), "/api/connections/" + id + "/call", "{\"method\":\"GET\",\"path\":\"" + path + "\"}");
    }

    @Test
    void aNameThatFlipsBetweenAllowedAndForbiddenReachesOnlyTheCheckedAddress() {
        // the allowed server closes every connection, so each call connects anew: 80 chances for the name to flip
        try (Recorder forbidden = Recorder.ok("127.0.0.1");
             Recorder allowed = new Recorder("127.0.0.2", forbidden.port(), s -> Recorder.Answer.ok()).closingEachConnection()) {
            AtomicInteger lookups = flipping("bms.rebind.test");
            String id = create("http://bms.rebind.test:" + forbidden.port(), null);
            int reached = 0;
            int refused = 0;
            for (int i = 0; i < 80; i++) {
                TestGateway.Response r = call(id, "/read");
                if (r.status() == 200) {
                    reached++;
                } else {
                    assertThat(r.status()).as(r.raw()).isEqualTo(422);
                    assertThat(r.raw()).contains("address_refused").contains("127.0.0.1");
                    refused++;
                }
            }
            assertThat(forbidden.seen).as("the loopback-only server").isEmpty();
            assertThat(allowed.seen).hasSize(reached);
            assertThat(reached).isPositive();
            assertThat(refused).isPositive();
            // one lookup per connection: nothing resolved the name a second time behind the check's back
            assertThat(lookups.get()).isEqualTo(80);
        }
    }

    @Test
    void aRedirectHopIsResolvedAndCheckedAgainAndNeverReachesTheForbiddenAddress() {
        try (Recorder forbidden = Recorder.ok("127.0.0.1");
             Recorder allowed = new Recorder("127.0.0.2", forbidden.port(),
                     s -> s.path().equals("/start") ? Recorder.Answer.redirect("/next") : Recorder.Answer.ok())) {
            flipping("hop.rebind.test");
            String id = create("http://hop.rebind.test:" + forbidden.port(), null);
            TestGateway.Response r = call(id, "/start");
            assertThat(r.status()).as(r.raw()).isEqualTo(422);
            assertThat(r.raw()).contains("address_refused");
            assertThat(allowed.seen).extracting(Recorder.Seen::path).containsExactly("/start");
            assertThat(forbidden.seen).isEmpty();
        }
    }

    @Test
    void overHttpsTlsStillSpeaksToTheNameNotTheAddress() throws Exception {
        TestCa ca = new TestCa("Rebind CA " + UUID.randomUUID());
        TestCa.Issued cert = ca.server(List.of("bms.site.test"), List.of());
        List<String> sni = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext(ca.cert)));
        server.createContext("/", ex -> {
            ((ExtendedSSLSession) ((HttpsExchange) ex).getSSLSession()).getRequestedServerNames()
                    .forEach(n -> sni.add(((SNIHostName) n).getAsciiName()));
            byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            gw.platform.connections().useNames(host -> List.of(InetAddress.getByName("127.0.0.2")));
            ObjectNode config = Json.object().put("ca_pem", ca.pem());
            String good = create("https://bms.site.test:" + server.getAddress().getPort(), config);
            TestGateway.Response ok = gw.postJson(t.token(), "/api/connections/" + good + "/probe", "{}");
            assertThat(ok.text("status")).as(ok.raw()).isEqualTo("healthy");
            assertThat(sni).containsOnly("bms.site.test");

            // the same address under a name the certificate does not carry: hostname verification refuses it
            String other = create("https://other.site.test:" + server.getAddress().getPort(), config);
            TestGateway.Response bad = gw.postJson(t.token(), "/api/connections/" + other + "/probe", "{}");
            assertThat(bad.text("status")).isEqualTo("unhealthy");
            assertThat(bad.text("detail")).contains("TLS handshake");
        } finally {
            server.stop(0);
        }
    }
}
