package com.airotech.connect.auth;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorAuth;
import java.time.Instant;

/** Verifies one authentication method. Everything that can be checked on headers is checked there. */
public interface InboundVerifier {
    AuthMethod method();


    /**
     * Checks the headers. Returns the verification result when the headers alone prove the sender,
     * or a {@link BodyCheck} wrapped in {@link HeaderResult} when a signature over the body remains.
     * Throws {@code ApiException} (401) on failure.
     */
    HeaderResult verifyHeaders(ConnectorAuth connector, InboundRequest request, Instant now);

    /** Either done (verified) or waiting for the body. */
    record HeaderResult(Verified verified, BodyCheck bodyCheck) {
        public static HeaderResult done(Verified v) { return new HeaderResult(v, null); }
        public static HeaderResult needsBody(BodyCheck c) { return new HeaderResult(null, c); }
    }
}
