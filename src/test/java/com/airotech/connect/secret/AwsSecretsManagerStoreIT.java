package com.airotech.connect.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.FakeAws;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS Secrets Manager backend with the real SDK client, found through the SDK's standard
 * endpoint setting ({@code aws.endpointUrlSecretsManager}, the system-property twin of
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}), against a stub that verifies SigV4.
 */
class AwsSecretsManagerStoreIT {
    static FakeAws aws;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        aws = new FakeAws();
        aws.useThroughSystemProperties(null);
        gw = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
        aws.close();
        FakeAws.clearSystemProperties();
    }

    @Test
    void theStoreRoundTripsVersionsAndMovesAwsCurrentOnCommit() {
        AwsSecretsManagerStore store = new AwsSecretsManagerStore(new AwsEnvironment(k -> null), Region.US_EAST_1);
        String conn = "cx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        SecretRef v1 = new SecretRef("tn_store", conn, 1);
        SecretRef v2 = new SecretRef("tn_store", conn, 2);
        String name = "airotech/tn_store/connections/" + conn;

        store.put(v1, Secret.ofUtf8("{\"api_key\":\"first\"}"));
        store.commit(v1, null);
        assertThat(store.get(v1).utf8()).isEqualTo("{\"api_key\":\"first\"}");
        assertThat(aws.secretString(name, "AWSCURRENT")).contains("\"version\":1");

        store.put(v2, Secret.ofUtf8("{\"api_key\":\"second\"}"));
        assertThat(aws.secretString(name, "AWSPENDING")).contains("\"version\":2");
        assertThat(aws.secretString(name, "AWSCURRENT")).contains("\"version\":1");
        store.commit(v2, 1);
        assertThat(aws.secretString(name, "AWSCURRENT")).contains("\"version\":2");
        assertThat(aws.secretString(name, "AWSPREVIOUS")).contains("\"version\":1");
        assertThat(store.get(v2).utf8()).isEqualTo("{\"api_key\":\"second\"}");

        // a version that names another owner (copied or edited in the console) is refused
        assertThatThrownBy(() -> store.get(new SecretRef("tn_other", conn, 2))).isInstanceOf(SecretStoreException.class);

        store.deleteAll("tn_store", conn);
        assertThat(aws.secrets).doesNotContainKey(name);
        assertThatThrownBy(() -> store.get(v2)).isInstanceOf(SecretStoreException.class).hasMessageContaining("ResourceNotFoundException");
        assertThat(aws.signatureFailures).isEmpty();
    }

    @Test
    void aTenantOnTheAwsStoreKeepsConnectionMaterialInSecretsManagerNotInTheDatabase() {
        TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("aws-store-" + UUID.randomUUID().toString().substring(0, 6)));
        gw.platform.connections().chooseSecretStore(Principal.local(t.tenantId()), "aws", "us-east-1");
        try (FakeBms bms = FakeBms.http()) {
            String pw = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", pw));
            TestGateway.Response created = gw.postJson(t.token(), "/api/connections",
                    "{\"name\":\"bms\",\"kind\":\"basic\",\"base_url\":\"" + bms.baseUrl() + "\",\"probe_path\":\"/health\"}");
            String id = created.text("connection_id");
            assertThat(created.text("secret_backend")).isEqualTo("aws");
            assertThat(created.text("secret_name")).isEqualTo("airotech/" + t.tenantId() + "/connections/" + id);

            TestGateway.Response ok = gw.postJson(t.token(), "/api/connections/" + id + "/credential",
                    Json.write(Json.object().put("username", "site").put("password", pw)));
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            String stored = aws.secretString("airotech/" + t.tenantId() + "/connections/" + id, "AWSCURRENT");
            String material = new String(Base64.getDecoder().decode(Json.tree(stored).get("material_b64").asText()), StandardCharsets.UTF_8);
            assertThat(material).contains(pw);
            int localRows = gw.platform.database().read(c -> {
                try (var ps = c.prepareStatement("SELECT count(*) FROM connection_secrets WHERE connection_id = ?")) {
                    ps.setString(1, id);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
            assertThat(localRows).isZero();

            // a fresh process reads the material back from Secrets Manager
            try (var other = com.airotech.connect.app.Platform.open(com.airotech.connect.app.Config.defaults(gw.dataDir).withPorts(0, -1))) {
                assertThat(other.connections().probe(Principal.local(t.tenantId()), id).healthy()).isTrue();
            }
            assertThat(aws.signatureFailures).isEmpty();
        }
    }
}
