package com.airotech.connect.secret;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Connection material in AWS Secrets Manager: one secret per connection, named
 * {@code airotech/{tenant_id}/connections/{connection_id}}, one secret version per material
 * version (its version id derived from tenant, connection and version, so a retried write is
 * idempotent). A staged version carries {@code AWSPENDING}; committing moves {@code AWSCURRENT} to
 * it, as AWS's own rotation does. The secret string names its tenant, connection and version,
 * and a version that names another owner is refused (the binding the local store gets from
 * associated data).
 */
public final class AwsSecretsManagerStore implements SecretStore {
    private static final String CURRENT = "AWSCURRENT";
    private static final String PENDING = "AWSPENDING";

    private final AwsEnvironment aws;
    private final Region region;

    public AwsSecretsManagerStore(AwsEnvironment aws, Region region) {
        this.aws = aws;
        this.region = region;
    }

    @Override public String backend() { return "aws:" + region.id(); }

    public static String secretName(String tenantId, String connectionId) {
        return "airotech/" + tenantId + "/connections/" + connectionId;
    }

    static String versionId(SecretRef ref) {
        return UUID.nameUUIDFromBytes(ref.associatedData().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private SecretsManagerClient client() { return aws.secretsManager(region); }

    @Override
    public void put(SecretRef ref, Secret material) {
        String name = secretName(ref.tenantId(), ref.connectionId());
        byte[] raw = material.bytes();
        ObjectNode doc = Json.object().put("format", 1).put("tenant_id", ref.tenantId()).put("connection_id", ref.connectionId())
                .put("version", ref.version()).put("material_b64", Base64.getEncoder().encodeToString(raw));
        Arrays.fill(raw, (byte) 0);
        String value = Json.write(doc);
        call(ref, "store", () -> {
            try {
                client().putSecretValue(b -> b.secretId(name).clientRequestToken(versionId(ref)).secretString(value).versionStages(PENDING));
            } catch (ResourceNotFoundException e) {
                client().createSecret(b -> b.name(name).clientRequestToken(versionId(ref)).secretString(value)
                        .description("AIROTECH Connect connection material (managed by the platform; do not edit)")
                        .tags(Tag.builder().key("airotech:tenant").value(ref.tenantId()).build(),
                                Tag.builder().key("airotech:connection").value(ref.connectionId()).build()));
            }
            return null;
        });
    }

    @Override
    public Secret get(SecretRef ref) {
        String name = secretName(ref.tenantId(), ref.connectionId());
        GetSecretValueResponse r = call(ref, "read", () -> client().getSecretValue(b -> b.secretId(name).versionId(versionId(ref))));
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(r.secretString());
        } catch (Exception e) {
            doc = null;
        }
        if (doc == null || !ref.tenantId().equals(doc.path("tenant_id").asText()) || !ref.connectionId().equals(doc.path("connection_id").asText())
                || doc.path("version").asInt(-1) != ref.version() || !doc.path("material_b64").isTextual()) {
            throw new SecretStoreException("The secret " + name + " in AWS Secrets Manager does not hold this connection's material for version "
                    + ref.version() + " (it was edited or copied). Enter the credential again.");
        }
        return Secret.wrap(Base64.getDecoder().decode(doc.get("material_b64").asText()));
    }

    @Override
    public void commit(SecretRef ref, Integer previousVersion) {
        String name = secretName(ref.tenantId(), ref.connectionId());
        String target = versionId(ref);
        call(ref, "commit", () -> {
            DescribeSecretResponse d = client().describeSecret(b -> b.secretId(name));
            String holder = null;
            for (Map.Entry<String, List<String>> e : d.versionIdsToStages().entrySet()) {
                if (e.getValue().contains(CURRENT)) holder = e.getKey();
            }
            if (target.equals(holder)) return null;
            String from = holder;
            client().updateSecretVersionStage(b -> b.secretId(name).versionStage(CURRENT).moveToVersionId(target).removeFromVersionId(from));
            return null;
        });
    }

    @Override
    public void discard(SecretRef ref) {
        String name = secretName(ref.tenantId(), ref.connectionId());
        try {
            client().updateSecretVersionStage(b -> b.secretId(name).versionStage(PENDING).removeFromVersionId(versionId(ref)));
        } catch (SdkException e) {
            // the failed version only keeps its AWSPENDING label until the next staging moves it
        }
    }

    @Override
    public void deleteAll(String tenantId, String connectionId) {
        String name = secretName(tenantId, connectionId);
        try {
            client().deleteSecret(b -> b.secretId(name).recoveryWindowInDays(7L));
        } catch (ResourceNotFoundException e) {
            // nothing was ever stored
        } catch (SdkException e) {
            throw failure(name, "delete", e);
        }
    }

    private <T> T call(SecretRef ref, String what, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (SdkException e) {
            throw failure(secretName(ref.tenantId(), ref.connectionId()), what, e);
        }
    }

    private static SecretStoreException failure(String name, String what, SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String code = ase.awsErrorDetails().errorCode();
            return new SecretStoreException("AWS Secrets Manager refused to " + what + " " + name + " (" + Text.sanitize(code, 64) + ": "
                    + Text.sanitize(ase.awsErrorDetails().errorMessage(), 200) + "). Check the platform's AWS permissions for this secret.");
        }
        return new SecretStoreException("AWS Secrets Manager could not be reached to " + what + " " + name + " ("
                + Text.sanitize(e.getMessage(), 200) + "). Check AWS_REGION, the platform's AWS credentials and AWS_ENDPOINT_URL_SECRETS_MANAGER.");
    }

    @Override public String toString() { return "AwsSecretsManagerStore[" + region.id() + "]"; }
}
