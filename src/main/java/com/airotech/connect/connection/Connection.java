package com.airotech.connect.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection as stored and shown: identity, kind, target, typed non-secret config and status
 * (with what it waits for). Never any material: that is in the secret store, under {@code currentVersion}.
 */
public record Connection(String tenantId, String connectionId, String name, ConnectionKind kind, String baseUrl, KindConfig config,
                         String probePath, String externalId, String secretBackend, Integer currentVersion, Integer stagedVersion,
                         ConnectionStatus status, Detail statusDetail, Instant lastProbeAt, Instant createdAt, Instant updatedAt) {
    public Connection {
        Objects.requireNonNull(tenantId);
        Objects.requireNonNull(connectionId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(status);
        Objects.requireNonNull(config);
    }

    /** The oauth2 grant, or null for any other kind. */
    public OAuth2Kind.Config oauth2() { return config instanceof OAuth2Kind.Config o ? o : null; }

    /** True for an oauth2 connection that obtains its tokens by consent. */
    public boolean needsConsentToConnect() { return config instanceof OAuth2Kind.Config o && o.authorizationCode(); }

    /** The AWS region of an aws_iam connection (null: the platform's), or null for any other kind. */
    public String awsRegion() { return config instanceof AwsIamKind.Config a ? a.region() : null; }
}
