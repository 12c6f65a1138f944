package com.airotech.connect.auth;

import java.time.Instant;

/** The part of verification that needs the body (a signature over it). */
@FunctionalInterface
public interface BodyCheck {
    /** @return the verified message; throws {@code ApiException} (401) when the signature fails */
    Verified verify(byte[] body, Instant now);
}
