package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9110 around the routes: HEAD where GET is, OPTIONS, and 405 with Allow. */
class HttpMethodsIT {
    static TestGateway gw;
    static TenantHandle t;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        t = gw.tenant("methods");
        gw.register(t, "hmac", null);
    }

    @AfterAll
    static void stop() { gw.close(); }

    private static Response call(String method, String path) {
        return gw.send(gw.admin(t.token(), path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() {
        for (String path : new String[] {"/api/connectors", "/api/pki/ca.pem", "/.well-known/jwks.json"}) {
            Response get = call("GET", path);
            Response head = call("HEAD", path);
            assertThat(get.status()).as(path).isEqualTo(200);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.raw()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path).hasValue(get.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        // HEAD is authenticated like GET
        Response anonymous = gw.send(HttpRequest.newBuilder(gw.uri("/api/connectors")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void aMethodThePathDoesNotTakeIs405WithAllow() {
        Response put = call("PUT", "/api/connectors");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.error()).isEqualTo("method_not_allowed");
        assertThat(put.json().get("message").asText()).contains("PUT").contains("GET");
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");

        Response get = call("GET", "/api/connectors/register");
        // the template /api/connectors/{id} takes GET: "register" is an id there, and not found
        assertThat(get.status()).isEqualTo(404);

        Response patch = call("PATCH", "/api/connectors/cn_x/rotate");
        assertThat(patch.status()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("OPTIONS, POST");
    }

    @Test
    void optionsNamesTheMethodsOfThePath() {
        Response options = call("OPTIONS", "/api/connectors/cn_x");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD, OPTIONS");
        assertThat(options.raw()).isEmpty();
    }

    @Test
    void theOAuth2CallbackIsNotAnsweredForHeadBecauseItSpendsItsState() {
        Response head = call("HEAD", "/oauth2/callback?state=s&code=c");
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).hasValue("GET, OPTIONS");
    }

    @Test
    void anUnknownPathIsNotFoundWhateverTheMethod() {
        for (String method : new String[] {"GET", "PUT", "OPTIONS"}) {
            Response r = call(method, "/api/nothing-here");
            assertThat(r.status()).as(method).isEqualTo(404);
            assertThat(r.error()).isEqualTo("not_found");
        }
    }
}
