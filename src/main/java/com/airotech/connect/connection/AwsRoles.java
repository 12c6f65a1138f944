package com.airotech.connect.connection;

import com.airotech.connect.common.Text;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.secret.SecretStoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * aws_iam connections: short-lived credentials minted by {@code sts:AssumeRole} with the
 * connection's external id, cached in memory only until shortly before they expire, never stored.
 */
final class AwsRoles {
    static final int SESSION_SECONDS = 900;
    static final long RENEW_BEFORE_SECONDS = 120;

    private record Cached(int version, AwsSessionCredentials credentials, Instant expiration) {}

    private final AwsEnvironment aws;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    AwsRoles(AwsEnvironment aws, Clock clock) {
        this.aws = aws;
        this.clock = clock;
    }

    /** Assumes the role, then makes a harmless read with the assumed credentials. */
    ProbeResult probe(Connection c, int version, String roleArn) {
        AwsSessionCredentials creds;
        try {
            creds = toSession(assume(c, roleArn));
        } catch (AwsServiceException e) {
            return ProbeResult.unhealthy("AWS refused sts:AssumeRole for this connection's role (" + code(e) + "). Check that the role's trust "
                    + "policy is exactly the one shown for this connection: it must trust " + principal(c) + " on condition sts:ExternalId = "
                    + c.externalId() + ".");
        } catch (SdkException | SecretStoreException e) {
            return ProbeResult.unhealthy("AWS STS could not be reached to assume the role (" + Text.sanitize(e.getMessage(), 200)
                    + "). Check the connection's region or AWS_REGION, the platform's AWS credentials, and AWS_ENDPOINT_URL_STS.");
        }
        try (StsClient as = aws.sts(region(c), StaticCredentialsProvider.create(creds))) {
            GetCallerIdentityResponse id = as.getCallerIdentity();
            cache.put(key(c), new Cached(version, creds, clock.instant().plusSeconds(SESSION_SECONDS)));
            return ProbeResult.healthy("Assumed the role with the external id; sts:GetCallerIdentity answered for account " + id.account() + ".");
        } catch (AwsServiceException e) {
            return ProbeResult.unhealthy("The role was assumed, but sts:GetCallerIdentity with its credentials was refused (" + code(e) + ").");
        } catch (SdkException e) {
            return ProbeResult.unhealthy("The role was assumed, but AWS STS could not be reached with its credentials (" + Text.sanitize(e.getMessage(), 200) + ").");
        }
    }

    /** Credentials for a call: cached until shortly before they expire, else minted now. */
    AwsSessionCredentials credentials(Connection c, int version, String roleArn) {
        Cached hit = cache.get(key(c));
        Instant now = clock.instant();
        if (hit != null && hit.version() == version && now.isBefore(hit.expiration().minusSeconds(RENEW_BEFORE_SECONDS))) return hit.credentials();
        try {
            AssumeRoleResponse r = assume(c, roleArn);
            Instant exp = r.credentials().expiration() != null ? r.credentials().expiration() : now.plusSeconds(SESSION_SECONDS);
            AwsSessionCredentials creds = toSession(r);
            cache.put(key(c), new Cached(version, creds, exp));
            return creds;
        } catch (AwsServiceException e) {
            throw new ConnectionFailure(ConnectionFailure.AWS, "AWS refused sts:AssumeRole for connection " + c.connectionId() + " (" + code(e)
                    + "). Check the role's trust policy against the one shown for this connection.");
        } catch (SdkException e) {
            throw new ConnectionFailure(ConnectionFailure.AWS, "AWS STS could not be reached (" + Text.sanitize(e.getMessage(), 200) + ").");
        }
    }

    void forget(Connection c) { cache.remove(key(c)); }

    private AssumeRoleResponse assume(Connection c, String roleArn) {
        String session = ("airotech-" + c.connectionId()).replaceAll("[^\\w+=,.@-]", "-");
        return aws.sts(region(c)).assumeRole(b -> b.roleArn(roleArn).roleSessionName(session.length() > 64 ? session.substring(0, 64) : session)
                .externalId(c.externalId()).durationSeconds(SESSION_SECONDS));
    }

    private static AwsSessionCredentials toSession(AssumeRoleResponse r) {
        return AwsSessionCredentials.create(r.credentials().accessKeyId(), r.credentials().secretAccessKey(), r.credentials().sessionToken());
    }

    /** The connection's region, else the platform's: where the role's sessions are used and requests are signed for. */
    Region region(Connection c) { return aws.region(AwsIamKind.config(c).region()); }

    private static String principal(Connection c) {
        String p = AwsIamKind.config(c).platformPrincipal();
        return p == null ? "the platform's principal" : p;
    }

    private static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
        String msg = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return Text.sanitize(code, 64) + (msg == null ? "" : ": " + Text.sanitize(msg, 200));
    }

    private static String key(Connection c) { return c.tenantId() + "/" + c.connectionId(); }
}
