package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.airotech.connect.testing.TestGateway.Response;
import com.airotech.connect.testing.TestGateway.TenantHandle;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tenant B's token against tenant A's ids, on every route: 404, and nothing changes for A. */
class CrossTenantIT {
    static TestGateway gw;
    static TenantHandle a;
    static TenantHandle b;
    static JsonNode aConnector;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        a = gw.tenant("tenant-a");
        b = gw.tenant("tenant-b");
        aConnector = gw.register(a, "api_key", "\"event_types\":[\"meter\"]");
        assertThat(gw.ingest(aConnector.get("webhook_path").asText(), Signer.event("meter", "a-1"), Signer.apiKey(aConnector.get("credential").asText())).status()).isEqualTo(202);
        gw.register(b, "hmac", null);
    }

    @AfterAll
    static void stop() { gw.close(); }

    @Test
    void everyRouteNamingAnotherTenantsConnectorIsNotFoundAndChangesNothing() {
        String id = aConnector.get("connector_id").asText();
        String auditBefore = gw.get(a.token(), "/api/audit").raw();
        String connectorBefore = gw.get(a.token(), "/api/connectors/" + id).raw();

        List<Response> answers = List.of(
                gw.get(b.token(), "/api/connectors/" + id),
                gw.delete(b.token(), "/api/connectors/" + id),
                gw.postJson(b.token(), "/api/connectors/" + id + "/rotate", "{}"));
        for (Response r : answers) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.error()).isEqualTo("not_found");
            assertThat(r.raw()).doesNotContain("tenant-a").doesNotContain(a.tenantId());
        }
        assertThat(gw.get(a.token(), "/api/connectors/" + id).raw()).isEqualTo(connectorBefore);
        assertThat(gw.get(a.token(), "/api/audit").raw()).isEqualTo(auditBefore);
        assertThat(gw.ingest(aConnector.get("webhook_path").asText(), Signer.event("meter", "a-2"), Signer.apiKey(aConnector.get("credential").asText())).status())
                .as("A's credential still works").isEqualTo(202);
    }

    @Test
    void listingsAndFiltersNeverShowAnotherTenantsRows() {
        String id = aConnector.get("connector_id").asText();
        assertThat(gw.get(b.token(), "/api/connectors").json().get("connectors").findValuesAsText("connector_id")).doesNotContain(id);
        assertThat(gw.get(b.token(), "/api/events?connector_id=" + id).json().get("events")).isEmpty();
        assertThat(gw.get(b.token(), "/api/events").json().get("events")).isEmpty();
        assertThat(gw.get(b.token(), "/api/audit?connector_id=" + id).json().get("entries")).isEmpty();
        assertThat(gw.get(b.token(), "/api/audit").raw()).doesNotContain(id).doesNotContain(a.tenantId());
        assertThat(gw.get(b.token(), "/api/events?cursor=0&limit=1000").raw()).doesNotContain("a-1");
    }

    @Test
    void anotherTenantsIngestPathWithThisTenantsCredentialIsRefused() {
        // A's connector id under B's tenant id: no such connector there
        String crossPath = "/api/events/ingest/" + b.tenantId() + "/" + aConnector.get("connector_id").asText();
        Response r = gw.ingest(crossPath, Signer.event("meter", "x"), Signer.apiKey(aConnector.get("credential").asText()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(gw.get(b.token(), "/api/events").json().get("events")).isEmpty();
    }
}
