package com.airotech.connect.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connection.Detail;
import org.junit.jupiter.api.Test;

/** The API's wording of what a connection waits for is the contract's, to the byte: scripts and tests match on it. */
class ConnectionJsonTest {
    @Test
    void everyDetailReadsOnTheWireExactlyAsBeforeItWasTyped() {
        String id = "cx_1a2b";
        assertThat(ConnectionJson.detail(id, new Detail.NeedsProbe())).isEqualTo("Not probed yet: POST /api/connections/cx_1a2b/probe.");
        assertThat(ConnectionJson.detail(id, new Detail.NeedsMaterial())).isEqualTo("No credential yet: POST it to /api/connections/cx_1a2b/credential.");
        assertThat(ConnectionJson.detail(id, new Detail.NeedsClientSecretAndConsent())).isEqualTo("No consent yet: register the client secret "
                + "(POST /api/connections/cx_1a2b/credential), then open GET /api/connections/cx_1a2b/authorize.");
        assertThat(ConnectionJson.detail(id, new Detail.NeedsConsent())).isEqualTo("Client secret registered; give consent: GET /api/connections/cx_1a2b/authorize.");
        assertThat(ConnectionJson.detail(id, new Detail.NeedsRole()))
                .isEqualTo("No role yet: create the role with the trust policy shown, then POST its role_arn to /api/connections/cx_1a2b/credential.");
        assertThat(ConnectionJson.detail(id, new Detail.NeedsConsentAgain("the vendor refused the refresh (invalid_grant, HTTP 400)")))
                .isEqualTo("Consent must be given again: the vendor refused the refresh (invalid_grant, HTTP 400). Open GET /api/connections/cx_1a2b/authorize.");
        assertThat(ConnectionJson.detail(id, new Detail.CredentialRefused("HTTP 401 from GET /health")))
                .isEqualTo("HTTP 401 from GET /health: the system refused the credential. Stage a correct one with POST /api/connections/cx_1a2b/credential.");
        assertThat(ConnectionJson.detail(id, new Detail.TargetRefused("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet.",
                "tn_1", "10.20.1.5/32"))).isEqualTo("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet. "
                + "The operator can allow it with: airotech-connect connections policy --tenant tn_1 --allow 10.20.1.5/32");
    }
}
