package com.airotech.connect.delivery;

/**
 * One delivery the dispatcher holds: an event read past the cursor (no row yet), or a delivery row
 * loaded from the database. The runner owns every field except {@code inFlight}, {@code awaitingRunner},
 * {@code body} and {@code payload}, which the lane's sending thread also touches under the lane's lock.
 */
final class Item {
    final long seq;
    final String eventId;
    final String connectorId;
    final String eventType;
    final long receivedAt;
    Long occurredAt;
    /** The stored envelope until the payload is built; null when not (or no longer) held in memory. */
    byte[] body;
    /** The delivery's body, built at the first attempt and kept for the next ones while in memory. */
    byte[] payload;
    /** Bytes of this item counted against the subscription's memory window. */
    long counted;
    boolean row;
    int attempts;
    /** Row items: when the next attempt is due (clock millis); null = as soon as it heads its lane. */
    Long nextAttemptAt;
    boolean manual;
    boolean inFlight;
    /** When this delivery first failed in this process (System.nanoTime; 0: it has not). */
    long blockedSince;
    /** The last attempt failed and the runner has not yet decided when the next one is. */
    boolean awaitingRunner;

    Item(long seq, String eventId, String connectorId, String eventType, long receivedAt) {
        this.seq = seq;
        this.eventId = eventId;
        this.connectorId = connectorId;
        this.eventType = eventType;
        this.receivedAt = receivedAt;
    }

    static Item of(EventRecord e) {
        Item it = new Item(e.seq(), e.eventId(), e.connectorId(), e.eventType(), e.receivedAt());
        it.occurredAt = e.occurredAt();
        it.body = e.body();
        return it;
    }

    static Item of(RowState r) {
        Item it = new Item(r.seq(), r.eventId(), r.connectorId(), r.eventType(), r.receivedAt());
        it.row = true;
        it.attempts = r.attempts();
        it.nextAttemptAt = r.nextAttemptAt();
        it.manual = r.manual();
        return it;
    }

    RowState state(String status, int attempts, Long nextAttemptAt, boolean manual) {
        return new RowState(seq, eventId, connectorId, eventType, receivedAt, status, attempts, nextAttemptAt, manual);
    }

    @Override public String toString() { return "Item[" + seq + (row ? ", row" : "") + ", attempts " + attempts + "]"; }
}
