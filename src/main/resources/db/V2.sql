-- Schema 2. The transactional outbox: one row per stored event still to be published to Kafka,
-- written in the same transaction as the event row and deleted once the broker has acknowledged.
-- Rows are written only while Kafka is configured; the relay publishes them in event_seq order.

CREATE TABLE outbox (
  event_seq  INTEGER PRIMARY KEY REFERENCES events(seq),
  created_at INTEGER NOT NULL
);
