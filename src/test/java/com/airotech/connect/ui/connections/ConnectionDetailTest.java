package com.airotech.connect.ui.connections;

import com.airotech.connect.ui.common.ConnectionWords;
import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connection.Detail;
import org.junit.jupiter.api.Test;

public class ConnectionDetailTest {
    @Test
    void whatAConnectionWaitsForReadsAsTheConsolesButtons() {
        assertThat(ConnectionWords.detail(new Detail.NeedsConsentAgain("the vendor refused the refresh (invalid_grant, HTTP 400)")))
                .isEqualTo("Consent must be given again: the vendor refused the refresh (invalid_grant, HTTP 400). "
                        + "Choose Reconnect… to open the vendor's consent page.");
        assertThat(ConnectionWords.detail(new Detail.NeedsMaterial())).isEqualTo("No credential yet: enter it with Rotate credential…");
        assertThat(ConnectionWords.detail(new Detail.NeedsRole()))
                .isEqualTo("No role yet: create the role with the trust policy shown, then enter its ARN with Rotate credential…");
        assertThat(ConnectionWords.detail(new Detail.NeedsProbe())).isEqualTo("Not probed yet: choose Probe.");
        assertThat(ConnectionWords.detail(new Detail.NeedsConsent())).isEqualTo("Client secret registered; choose Reconnect… to open the vendor's consent page.");
        assertThat(ConnectionWords.detail(new Detail.CredentialRefused("HTTP 401 from GET /health")))
                .isEqualTo("HTTP 401 from GET /health: the system refused the credential. Enter a correct one with Rotate credential…");
        assertThat(ConnectionWords.detail(new Detail.Text("HTTP 200 from GET /health in 6 ms."))).isEqualTo("HTTP 200 from GET /health in 6 ms.");
        assertThat(ConnectionWords.detail(new Detail.TargetRefused("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet.",
                "tn_1", "10.20.1.5/32")))
                .isEqualTo("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet. "
                        + "Allow it under Settings, Allowed targets (add 10.20.1.5/32).");
    }

    @Test
    void noDetailNamesAnApiCallOrACommandOnTheConsole() {
        for (Detail d : new Detail[] {new Detail.NeedsProbe(), new Detail.NeedsMaterial(), new Detail.NeedsClientSecretAndConsent(), new Detail.NeedsConsent(),
                new Detail.NeedsRole(), new Detail.NeedsConsentAgain("expired"), new Detail.CredentialRefused("HTTP 403 from GET /"),
                new Detail.TargetRefused("The address 10.0.0.1 is not allowed.", "tn_1", "10.0.0.1/32")}) {
            assertThat(ConnectionWords.detail(d)).doesNotContain("/api/").doesNotContain("airotech-connect").matches("(?s).*[.…]").doesNotEndWith("..");
        }
    }
}
