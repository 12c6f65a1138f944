package com.airotech.connect.auth;

/**
 * A verified request: which credential proved it, and for signed messages the message id and
 * timestamp that the replay guard must remember (null for header-only methods).
 */
public record Verified(String credentialId, String messageId, long messageTimestamp) {
    public static Verified byCredential(String credentialId) { return new Verified(credentialId, null, 0); }
}
