package com.airotech.connect.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.auth.BasicCredentials;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.connector.IssuedCredential;
import com.airotech.connect.connector.StoredCredential;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Tenant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every type that holds material prints *** (or nothing of it) when logged or concatenated. */
class MaterialToStringTest {
    static final String CANARY = "canary-material-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Crypto.randomBytes(12));

    @Test
    void eachMaterialHolderHidesTheMaterial() {
        Secret s = Secret.ofUtf8(CANARY);
        byte[] sealed = CANARY.getBytes(StandardCharsets.UTF_8);
        List<Object> holders = List.of(
                s,
                new IssuedCredential(new StoredCredential(Crypto.sha256Hex(CANARY), sealed, null, null, null), s, Crypto.sha256Hex(CANARY),
                        Map.of("private_key_pem", s, "client_p12_password", s), Map.of()),
                new CredentialState("cr_1", Crypto.sha256Hex(CANARY), s, null, null, null, Instant.now()),
                new StoredCredential(Crypto.sha256Hex(CANARY), sealed, null, null, null),
                BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(("cn_x:" + CANARY).getBytes(StandardCharsets.UTF_8))),
                new CreatedTenant(new Tenant("tn_x", "x", Instant.now()), s, "ops"));
        for (Object h : holders) {
            assertThat(h.toString()).as(h.getClass().getSimpleName()).doesNotContain(CANARY)
                    .doesNotContain(Base64.getEncoder().encodeToString(sealed));
        }
        assertThat(s.toString()).isEqualTo("***");
    }

    @Test
    void aDestroyedSecretCannotBeReadAgain() {
        Secret s = Secret.ofUtf8(CANARY);
        s.destroy();
        assertThat(s.isDestroyed()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(s::bytes).isInstanceOf(IllegalStateException.class);
    }
}
