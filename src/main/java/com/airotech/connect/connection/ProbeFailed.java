package com.airotech.connect.connection;

/**
 * New material (a rotated credential, or the tokens of a consent) failed its probe, so it was
 * discarded and the previous material stays in force. Answered {@code 422 probe_failed}; each front
 * end words {@link #result}'s detail with its own next step.
 */
public final class ProbeFailed extends RuntimeException {
    public static final String CODE = "probe_failed";

    private final String connectionId;
    private final ProbeResult result;
    private final boolean consent;

    ProbeFailed(String connectionId, ProbeResult result, boolean consent) {
        super((consent ? "Consent was given, but the probe with the new token failed: " : "The new credential failed its probe, so the previous one stays in force: ")
                + Wording.plain(result.detail()), null, false, false);
        this.connectionId = connectionId;
        this.result = result;
        this.consent = consent;
    }

    public String connectionId() { return connectionId; }

    public ProbeResult result() { return result; }

    /** True when the material came from a consent (tokens), false for a staged credential. */
    public boolean consent() { return consent; }
}
