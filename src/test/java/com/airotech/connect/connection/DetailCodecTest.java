package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetailCodecTest {
    @Test
    void everyDetailSurvivesTheDatabase() {
        for (Detail d : List.of(new Detail.Text("HTTP 200 from GET / in 3 ms."), new Detail.NeedsProbe(), new Detail.NeedsMaterial(),
                new Detail.NeedsClientSecretAndConsent(), new Detail.NeedsConsent(), new Detail.NeedsRole(), new Detail.NeedsConsentAgain("it \"expired\""),
                new Detail.CredentialRefused("HTTP 403 from GET /x"), new Detail.TargetRefused("The address 10.0.0.1 is refused.", "tn_1", "10.0.0.1/32"))) {
            assertThat(DetailCodec.decode(DetailCodec.encode(d))).isEqualTo(d);
        }
    }

    @Test
    void theSentencesEarlierReleasesStoredReadBackAsTheValuesTheyStoodFor() {
        assertThat(DetailCodec.decode("No credential yet: POST it to /api/connections/cx_1/credential.")).isEqualTo(new Detail.NeedsMaterial());
        assertThat(DetailCodec.decode("Not probed yet: POST /api/connections/cx_1/probe.")).isEqualTo(new Detail.NeedsProbe());
        assertThat(DetailCodec.decode("No role yet: create the role with the trust policy shown, then POST its role_arn to /api/connections/cx_1/credential."))
                .isEqualTo(new Detail.NeedsRole());
        assertThat(DetailCodec.decode("No consent yet: register the client secret (POST /api/connections/cx_1/credential), then open GET /api/connections/cx_1/authorize."))
                .isEqualTo(new Detail.NeedsClientSecretAndConsent());
        assertThat(DetailCodec.decode("Client secret registered; give consent: GET /api/connections/cx_1/authorize.")).isEqualTo(new Detail.NeedsConsent());
        assertThat(DetailCodec.decode("Consent must be given again: the vendor refused the refresh (invalid_grant, HTTP 400). Open GET /api/connections/cx_1/authorize."))
                .isEqualTo(new Detail.NeedsConsentAgain("the vendor refused the refresh (invalid_grant, HTTP 400)"));
        assertThat(DetailCodec.decode("HTTP 401 from GET /h: the system refused the credential. Stage a correct one with POST /api/connections/cx_1/credential."))
                .isEqualTo(new Detail.CredentialRefused("HTTP 401 from GET /h"));
        assertThat(DetailCodec.decode("The address 10.0.0.9 cannot be reached: this tenant's outbound policy allows no targets yet. "
                + "The operator can allow it with: airotech-connect connections policy --tenant tn_7 --allow 10.0.0.9/32"))
                .isEqualTo(new Detail.TargetRefused("The address 10.0.0.9 cannot be reached: this tenant's outbound policy allows no targets yet.", "tn_7", "10.0.0.9/32"));
        assertThat(DetailCodec.decode("Consent failed: the vendor said no.")).isEqualTo(new Detail.Text("Consent failed: the vendor said no."));
    }
}
