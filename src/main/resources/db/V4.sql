-- Schema 4: retention, maintained summaries, and indexes that keep every listing a search at any
-- size. Times are Unix epoch milliseconds (UTC).

-- One index per listing filter of GET /api/events (type, connector). Each ends with the rowid (seq), so
-- a page in seq order after (or before, for order=desc) a seq cursor is one range search, however rare
-- the type or quiet the connector. Both filters at once take the index of the smaller of the two, as
-- event_counts tells (an index of both would cost every insert as much again as one of these).
CREATE INDEX events_tenant_type ON events(tenant_id, event_type);
CREATE INDEX events_tenant_connector ON events(tenant_id, connector_id);

-- Events per connector and type, and when the connector last delivered one of the type: maintained in
-- each event's own transaction and by pruning, so counts, "last event" and the choice of index for
-- both filters never scan the event log. last_received_at stays when pruning removes the events (it
-- is when the connector last delivered, not what is kept).
CREATE TABLE event_counts (
  tenant_id        TEXT NOT NULL,
  connector_id     TEXT NOT NULL,
  event_type       TEXT NOT NULL,
  events           INTEGER NOT NULL,
  last_received_at INTEGER,
  PRIMARY KEY (tenant_id, connector_id, event_type)
) WITHOUT ROWID;
INSERT INTO event_counts (tenant_id, connector_id, event_type, events, last_received_at)
  SELECT tenant_id, connector_id, event_type, count(*), max(received_at) FROM events GROUP BY tenant_id, connector_id, event_type;

-- Outbox rows per tenant, maintained with the outbox, so its depth never counts the outbox.
CREATE TABLE outbox_counts (
  tenant_id TEXT PRIMARY KEY,
  events    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO outbox_counts (tenant_id, events)
  SELECT e.tenant_id, count(*) FROM outbox o JOIN events e ON e.seq = o.event_seq GROUP BY e.tenant_id;

-- A tenant's retention (no row: the default of 30 days).
CREATE TABLE retention_policies (
  tenant_id    TEXT PRIMARY KEY REFERENCES tenants(tenant_id),
  max_age_days INTEGER NOT NULL CHECK (max_age_days >= 1),
  updated_at   INTEGER NOT NULL
);

-- The operator's settings for the whole data directory. audit_max_age_days NULL = the audit trail
-- is never pruned. age_pruning_from: a database that already held events when it was upgraded to
-- this schema starts pruning by age a day later, so the operator can set a longer retention first.
CREATE TABLE retention_site (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  min_free_disk_percent INTEGER NOT NULL CHECK (min_free_disk_percent BETWEEN 0 AND 50),
  audit_max_age_days    INTEGER CHECK (audit_max_age_days IS NULL OR audit_max_age_days >= 1),
  age_pruning_from      INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
INSERT INTO retention_site (id, min_free_disk_percent, audit_max_age_days, age_pruning_from, updated_at)
  SELECT 1, 10, NULL,
         CASE WHEN EXISTS (SELECT 1 FROM events) THEN CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 86400000 ELSE 0 END,
         CAST(strftime('%s', 'now') AS INTEGER) * 1000;

-- What pruning did per tenant. The pending_* columns hold removals forced by the disk floor that
-- are not in the audit trail yet: written in each removal's transaction, and turned into one
-- events.pruned_unpublished entry per round, so a crash between the two loses no count.
CREATE TABLE retention_state (
  tenant_id         TEXT PRIMARY KEY,
  pruned_total      INTEGER NOT NULL DEFAULT 0,
  forced_total      INTEGER NOT NULL DEFAULT 0,
  forced_held_total INTEGER NOT NULL DEFAULT 0,
  last_prune_at     INTEGER,
  last_forced_at    INTEGER,
  pending_count     INTEGER NOT NULL DEFAULT 0,
  pending_held      INTEGER NOT NULL DEFAULT 0,
  pending_first_seq INTEGER,
  pending_last_seq  INTEGER,
  pending_first_at  INTEGER,
  pending_last_at   INTEGER
);

-- Where a pruned audit chain starts: n and hash of the last removed entry, so verification starts
-- from it. An audit.pruned entry in the chain records every move of the anchor.
CREATE TABLE audit_anchors (
  tenant_id    TEXT PRIMARY KEY,
  n            INTEGER NOT NULL,
  hash         TEXT NOT NULL,
  pruned_total INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

-- GET /api/audit?action=, ?connector_id= (the target), ?actor= as searches in seq order; ?from= and
-- ?to= become a seq range through the time index (entries are appended in time order).
CREATE INDEX audit_tenant_action ON audit(tenant_id, action);
CREATE INDEX audit_tenant_target ON audit(tenant_id, target);
CREATE INDEX audit_tenant_actor ON audit(tenant_id, actor);
CREATE INDEX audit_tenant_at ON audit(tenant_id, at);
