-- Schema 1. Times are Unix epoch milliseconds (UTC). Every tenant-owned table carries tenant_id.

CREATE TABLE tenants (
  tenant_id   TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE admin_tokens (
  token_sha256 TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(tenant_id),
  label        TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX admin_tokens_tenant ON admin_tokens(tenant_id);

CREATE TABLE connectors (
  tenant_id     TEXT NOT NULL REFERENCES tenants(tenant_id),
  connector_id  TEXT NOT NULL,
  system_name   TEXT NOT NULL,
  webhook_url   TEXT,
  auth_method   TEXT NOT NULL,
  event_types   TEXT,
  grace_seconds INTEGER NOT NULL DEFAULT 60,
  status        TEXT NOT NULL DEFAULT 'active',
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  PRIMARY KEY (tenant_id, connector_id)
);

-- One row per credential a connector has had. valid_until NULL = current; a rotation sets the
-- previous one's valid_until to the end of its grace. Only hashes, sealed secrets or public parts.
CREATE TABLE connector_credentials (
  credential_id  TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  connector_id   TEXT NOT NULL,
  secret_sha256  TEXT,
  sealed_secret  BLOB,
  public_key_pem TEXT,
  cert_sha256    TEXT,
  cert_not_after INTEGER,
  created_at     INTEGER NOT NULL,
  valid_until    INTEGER,
  FOREIGN KEY (tenant_id, connector_id) REFERENCES connectors(tenant_id, connector_id)
);
CREATE INDEX connector_credentials_owner ON connector_credentials(tenant_id, connector_id);

CREATE TABLE events (
  seq          INTEGER PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  connector_id TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  occurred_at  INTEGER,
  received_at  INTEGER NOT NULL,
  webhook_id   TEXT,
  body         BLOB NOT NULL,
  UNIQUE (tenant_id, connector_id, event_id),
  FOREIGN KEY (tenant_id, connector_id) REFERENCES connectors(tenant_id, connector_id)
);
CREATE INDEX events_tenant_seq ON events(tenant_id, seq);
CREATE INDEX events_received ON events(received_at);

-- The audit trail, hash-chained per tenant: hash = SHA-256(prev_hash + canonical content).
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  n         INTEGER NOT NULL,
  entry_id  TEXT NOT NULL UNIQUE,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL,
  UNIQUE (tenant_id, n)
);
CREATE INDEX audit_tenant_seq ON audit(tenant_id, seq);

-- The newest entry of each tenant's chain, so a removed last entry is caught too.
CREATE TABLE audit_heads (
  tenant_id TEXT PRIMARY KEY,
  n         INTEGER NOT NULL,
  hash      TEXT NOT NULL
);

-- Bumped by triggers on every change that a gateway caches (tenants, tokens, connectors,
-- credentials), so a gateway sees changes made by the command line in another process.
CREATE TABLE change_counter (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO change_counter (id, version) VALUES (1, 0);

CREATE TRIGGER tenants_ins AFTER INSERT ON tenants BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER tenants_upd AFTER UPDATE ON tenants BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER tokens_ins AFTER INSERT ON admin_tokens BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER tokens_upd AFTER UPDATE ON admin_tokens BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER connectors_ins AFTER INSERT ON connectors BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER connectors_upd AFTER UPDATE ON connectors BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER credentials_ins AFTER INSERT ON connector_credentials BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER credentials_upd AFTER UPDATE ON connector_credentials BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER credentials_del AFTER DELETE ON connector_credentials BEGIN UPDATE change_counter SET version = version + 1; END;
