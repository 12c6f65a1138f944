package com.airotech.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

public class ConnectionDetailTest {
    @Test
    void theServicesApiHintsReadAsTheConsolesButtons() {
        assertThat(ConnectionsController.forConsole("Consent must be given again: the vendor refused the refresh (invalid_grant, HTTP 400). "
                + "Open GET /api/connections/cx_1a2b/authorize."))
                .isEqualTo("Consent must be given again: the vendor refused the refresh (invalid_grant, HTTP 400). "
                        + "Choose Reconnect… to open the vendor's consent page.");
        assertThat(ConnectionsController.forConsole("No credential yet: POST it to /api/connections/cx_1a2b/credential."))
                .isEqualTo("No credential yet: enter it with Rotate credential…");
        assertThat(ConnectionsController.forConsole("No role yet: create the role with the trust policy shown, then POST its role_arn to /api/connections/cx_9/credential."))
                .isEqualTo("No role yet: create the role with the trust policy shown, then enter its ARN with Rotate credential…");
        assertThat(ConnectionsController.forConsole("HTTP 200 from GET /health in 6 ms.")).isEqualTo("HTTP 200 from GET /health in 6 ms.");
        assertThat(ConnectionsController.forConsole("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet. "
                + "The operator can allow it with: airotech-connect connections policy --tenant tn_1 --allow 10.20.1.5/32"))
                .isEqualTo("The address 10.20.1.5 cannot be reached: this tenant's outbound policy allows no targets yet. "
                        + "Allow it under Settings, Allowed targets (add 10.20.1.5/32).");
    }
}
