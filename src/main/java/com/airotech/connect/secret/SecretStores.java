package com.airotech.connect.secret;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The secret store behind a backend name: {@code local}, or {@code aws:REGION} (AWS Secrets Manager). */
public final class SecretStores {
    private final LocalSecretStore local;
    private final AwsEnvironment aws;
    private final Map<String, SecretStore> awsStores = new ConcurrentHashMap<>();

    public SecretStores(LocalSecretStore local, AwsEnvironment aws) {
        this.local = local;
        this.aws = aws;
    }

    public LocalSecretStore local() { return local; }

    public SecretStore forBackend(String backend) {
        if (backend == null || backend.equals(LocalSecretStore.BACKEND)) return local;
        if (backend.startsWith("aws:")) {
            return awsStores.computeIfAbsent(backend, b -> new AwsSecretsManagerStore(aws, aws.region(b.substring(4))));
        }
        throw new SecretStoreException("Unknown secret store '" + backend + "'; use local or aws.");
    }

    /** The backend name for a tenant's choice: {@code aws} with a region (or the platform's), else local. */
    public String backendFor(String choice, String region) {
        if (choice == null || choice.equals(LocalSecretStore.BACKEND)) return LocalSecretStore.BACKEND;
        if (choice.equals("aws")) return "aws:" + aws.region(region).id();
        throw new SecretStoreException("Unknown secret store '" + choice + "'; use local or aws.");
    }
}
