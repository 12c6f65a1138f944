package com.airotech.connect.bus;

/** What the relay knows of Kafka, for status views and metrics. */
public enum KafkaState {
    /** No Kafka configured: events are stored only. */
    OFF,
    /** Configured; nothing published or refused yet. */
    CONNECTING,
    /** The last publish was acknowledged by the broker. */
    CONNECTED,
    /** The last attempt failed; the backlog waits in the outbox and is retried with backoff. */
    UNREACHABLE;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
