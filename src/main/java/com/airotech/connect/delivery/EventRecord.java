package com.airotech.connect.delivery;

/** A stored event read for delivery: what the payload needs, with the stored envelope. */
record EventRecord(long seq, String eventId, String connectorId, String eventType, Long occurredAt, long receivedAt, byte[] body) {}
