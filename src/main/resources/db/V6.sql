-- Schema 6: event delivery (API.md section 7). Times are epoch milliseconds (UTC).
--
-- Nothing here is written on the ingest path. A subscription reads the tenant's events in seq order
-- behind a durable cursor: every matching event with seq <= cursor_seq was delivered, or has a row in
-- deliveries (waiting for a retry, dead-lettered, or delivered after a retry). Rows exist only for
-- deliveries that did not succeed at their first attempt; first-attempt successes are recorded
-- compactly, many per row, in delivery_log.

CREATE TABLE subscriptions (
  tenant_id            TEXT NOT NULL REFERENCES tenants(tenant_id),
  subscription_id      TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  event_types          TEXT,
  source_connectors    TEXT,
  target_connector_id  TEXT,
  target_connection_id TEXT,
  target_path          TEXT,
  target_method        TEXT,
  enabled              INTEGER NOT NULL,
  disabled_reason      TEXT,
  disabled_at          INTEGER,
  start_seq            INTEGER NOT NULL,
  cursor_seq           INTEGER NOT NULL,
  failing_since        INTEGER,
  last_success_at      INTEGER,
  last_failure_at      INTEGER,
  last_error           TEXT,
  delivered_total      INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, subscription_id)
);

-- Standard Webhooks signing secrets, sealed by the master key with tenant, subscription and secret
-- bound as associated data. valid_until NULL = current; a rotation sets the previous one's end.
CREATE TABLE subscription_secrets (
  secret_id       TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  secret_sha256   TEXT NOT NULL,
  sealed_secret   BLOB NOT NULL,
  created_at      INTEGER NOT NULL,
  valid_until     INTEGER,
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions(tenant_id, subscription_id)
);
CREATE INDEX subscription_secrets_owner ON subscription_secrets(tenant_id, subscription_id);

-- Deliveries that needed more than one attempt (or were set aside behind one that did): status
-- pending (next_attempt_at set, or NULL while waiting behind an earlier delivery of its lane),
-- delivered, failed (dead letter). manual = 1: queued again by retry/recover, one attempt only.
-- The event's identity is copied so a dead letter stays readable after retention pruned the event.
CREATE TABLE deliveries (
  tenant_id       TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  event_seq       INTEGER NOT NULL,
  event_id        TEXT NOT NULL,
  connector_id    TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  manual          INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, event_seq)
) WITHOUT ROWID;
CREATE INDEX deliveries_status ON deliveries(subscription_id, status, event_seq);
CREATE INDEX deliveries_tenant ON deliveries(tenant_id, status, event_seq);

CREATE TABLE delivery_attempts (
  subscription_id  TEXT NOT NULL,
  event_seq        INTEGER NOT NULL,
  n                INTEGER NOT NULL,
  at               INTEGER NOT NULL,
  status_code      INTEGER,
  latency_ms       INTEGER NOT NULL,
  error            TEXT,
  detail           TEXT,
  response_excerpt TEXT,
  PRIMARY KEY (subscription_id, event_seq, n)
) WITHOUT ROWID;

-- First-attempt successes, packed: items holds (seq, at, latency, status) per delivery as varints
-- (see delivery.DeliveryLog). One row per cursor flush, a few per second at most.
CREATE TABLE delivery_log (
  id              INTEGER PRIMARY KEY,
  subscription_id TEXT NOT NULL,
  first_seq       INTEGER NOT NULL,
  last_seq        INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  items           INTEGER NOT NULL,
  data            BLOB NOT NULL
);
CREATE INDEX delivery_log_sub ON delivery_log(subscription_id, last_seq);

-- Bumped by every administrative change to subscriptions and their deliveries (not by the
-- dispatcher's own progress), so a gateway notices what the command line changed beside it.
CREATE TABLE delivery_changes (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO delivery_changes (id, version) VALUES (1, 0);
