package com.airotech.connect.ingest;

import java.time.Instant;

/** The acknowledgement of an event: stored now, or stored before ({@code duplicate}). */
public record IngestResult(String eventId, Instant receivedAt, boolean duplicate) {}
