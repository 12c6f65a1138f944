package com.airotech.connect.connection;

/**
 * Told about each step of a staged credential change as it happens (stage → probe → commit, or
 * the rejection that leaves the previous material in force), so a screen can show every step.
 * Called on the thread doing the change.
 */
public interface StagingListener {
    StagingListener NONE = new StagingListener() { };

    /** The material is stored as version {@code version}, not yet in force. */
    default void staged(int version) { }

    /** The probe with the staged material starts. */
    default void probing() { }

    /** The probe answered. */
    default void probed(ProbeResult result) { }

    /** The staged version is in force. */
    default void committed(int version, ProbeResult result) { }

    /** The staged version was discarded; the previous material stays in force. */
    default void rejected(int version, ProbeResult result) { }
}
