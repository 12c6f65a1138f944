package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Text;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.secret.SecretStoreException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Setting up an aws_iam connection: the platform's principal that tenants' roles trust, the
 * external id the platform generates, and the trust policy the tenant creates the role with.
 */
public final class AwsSetup {
    private static final char[] EXTERNAL_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*$");

    private final AwsEnvironment aws;

    AwsSetup(AwsEnvironment aws) { this.aws = aws; }

    /** Null when aws_iam connections can be created (the platform's principal is known); else what the operator must do. */
    String unavailableReason() {
        try {
            platformPrincipal();
            return null;
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    String platformPrincipal() {
        String configured = aws.configuredPrincipal();
        if (configured != null) return configured;
        try {
            String arn = aws.sts(aws.region(null)).getCallerIdentity().arn();
            // an assumed-role session is named in trust policies by its role
            Matcher m = ASSUMED_ROLE.matcher(arn);
            return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : arn;
        } catch (SdkException | SecretStoreException e) {
            // the region message speaks of a connection's config; here it is the platform's own settings that are missing
            String why = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode()
                    : e instanceof SecretStoreException ? "no AWS region (AWS_REGION) is set for the platform" : Text.sanitize(e.getMessage(), 160);
            throw ApiException.invalidRequest("The platform does not know the AWS principal tenants' roles must trust (" + why + "). Set "
                    + AwsEnvironment.PRINCIPAL_ENV + " to the platform's role or user ARN, or give the platform AWS credentials and a region.");
        }
    }

    /** The trust policy of an aws_iam connection's role, or null before the connection knows its principal. */
    public static ObjectNode trustPolicy(Connection c) {
        String principal = c.config() instanceof AwsIamKind.Config a ? a.platformPrincipal() : null;
        return principal == null || c.externalId() == null ? null : trustPolicy(principal, c.externalId());
    }

    static ObjectNode trustPolicy(String principal, String externalId) {
        ObjectNode policy = Json.object().put("Version", "2012-10-17");
        ObjectNode st = policy.putArray("Statement").addObject();
        st.put("Effect", "Allow");
        st.putObject("Principal").put("AWS", principal);
        st.put("Action", "sts:AssumeRole");
        st.putObject("Condition").putObject("StringEquals").put("sts:ExternalId", externalId);
        return policy;
    }

    /** 48 characters from a 56-letter alphabet (about 278 bits): unique, unguessable, never chosen by the caller. */
    static String newExternalId() {
        StringBuilder sb = new StringBuilder(48);
        for (int i = 0; i < 48; i++) sb.append(EXTERNAL_ID_ALPHABET[RANDOM.nextInt(EXTERNAL_ID_ALPHABET.length)]);
        return sb.toString();
    }
}
