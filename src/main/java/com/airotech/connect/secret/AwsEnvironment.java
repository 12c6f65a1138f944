package com.airotech.connect.secret;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The platform's own AWS identity and clients, from the SDK's standard settings: the default
 * credential chain (environment, system properties, profile, container and instance roles), the
 * region chain ({@code AWS_REGION}, profile …), and the standard endpoint variables
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_STS}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}
 * and their {@code aws.endpointUrl…} system properties), which the SDK applies itself, so
 * VPC-endpoint sites need nothing else. Clients are built on first use, one per region.
 */
public final class AwsEnvironment implements AutoCloseable {
    /** Environment variable (or system property {@code airotech.aws.principalArn}) naming the platform's principal for trust policies. */
    public static final String PRINCIPAL_ENV = "AIROTECH_AWS_PRINCIPAL_ARN";
    public static final String PRINCIPAL_PROPERTY = "airotech.aws.principalArn";

    private final Function<String, String> env;
    private volatile AwsCredentialsProvider credentials;
    private final Map<Region, SecretsManagerClient> secretsManagers = new ConcurrentHashMap<>();
    private final Map<Region, StsClient> sts = new ConcurrentHashMap<>();

    public AwsEnvironment(Function<String, String> env) { this.env = env; }

    public static AwsEnvironment standard() { return new AwsEnvironment(System::getenv); }

    /** The platform's credentials: the SDK's default chain, resolved lazily (a site without AWS never touches it). */
    public AwsCredentialsProvider credentials() {
        AwsCredentialsProvider c = credentials;
        if (c == null) {
            synchronized (this) {
                if (credentials == null) credentials = DefaultCredentialsProvider.builder().build();
                c = credentials;
            }
        }
        return c;
    }

    /** The region to use: the one configured for the tenant or connection, else the SDK's region chain. */
    public Region region(String preferred) {
        if (preferred != null && !preferred.isBlank()) return Region.of(preferred.strip());
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new SecretStoreException("No AWS region is set: give the connection a \"region\" in its config, or set AWS_REGION for the platform.");
        }
    }

    public SecretsManagerClient secretsManager(Region region) {
        return secretsManagers.computeIfAbsent(region, r -> SecretsManagerClient.builder().region(r).credentialsProvider(credentials()).build());
    }

    /** STS with the platform's own credentials (to assume tenants' roles). */
    public StsClient sts(Region region) {
        return sts.computeIfAbsent(region, r -> StsClient.builder().region(r).credentialsProvider(credentials()).build());
    }

    /** STS with other credentials (an assumed role's); the caller closes it. */
    public StsClient sts(Region region, AwsCredentialsProvider as) {
        return StsClient.builder().region(region).credentialsProvider(as).build();
    }

    /** The principal tenants' trust policies must name, when the operator configured it; else null. */
    public String configuredPrincipal() {
        String v = System.getProperty(PRINCIPAL_PROPERTY);
        if (v == null || v.isBlank()) v = env.apply(PRINCIPAL_ENV);
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Override
    public void close() {
        secretsManagers.values().forEach(SecretsManagerClient::close);
        sts.values().forEach(StsClient::close);
        secretsManagers.clear();
        sts.clear();
    }
}
