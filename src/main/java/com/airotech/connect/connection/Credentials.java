package com.airotech.connect.connection;

import com.airotech.connect.common.Secret;
import java.time.Instant;
import javax.net.ssl.KeyManager;

/** One version of a connection's material, opened for use; the fields are {@link Secret}s (printed as ***). */
sealed interface Credentials {
    record None() implements Credentials {}

    record ApiKey(Secret key) implements Credentials {}

    /** The whole {@code Basic …} header value, computed once. */
    record Basic(Secret header) implements Credentials {}

    record Mtls(KeyManager[] keys) implements Credentials {
        @Override public String toString() { return "Mtls[***]"; }
    }

    record OAuth2(Secret clientSecret, Secret accessToken, Secret refreshToken, Instant expiresAt) implements Credentials {
        boolean freshAt(Instant now, long windowSeconds) {
            return accessToken != null && (expiresAt == null || now.isBefore(expiresAt.minusSeconds(windowSeconds)));
        }

        boolean validAt(Instant now) {
            return accessToken != null && (expiresAt == null || now.isBefore(expiresAt));
        }
    }

    record AwsRole(String roleArn) implements Credentials {}
}
