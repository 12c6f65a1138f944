-- Schema 3: outbound connections and the tenant secret store. Times are epoch milliseconds (UTC).

-- A tenant's data key for the local secret store: 32 random bytes sealed by the master key
-- (envelope encryption). master_key_id names the master key that sealed it, so a rotation
-- re-wraps exactly what still sits under the old key.
CREATE TABLE tenant_data_keys (
  tenant_id     TEXT PRIMARY KEY REFERENCES tenants(tenant_id),
  master_key_id TEXT NOT NULL,
  wrapped_key   BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  rewrapped_at  INTEGER
);

-- Per-tenant outbound settings, set by the operator: where connection material is kept, and
-- which networks and hosts the tenant's connections may reach (JSON array; empty = loopback only).
CREATE TABLE tenant_connection_settings (
  tenant_id       TEXT PRIMARY KEY REFERENCES tenants(tenant_id),
  secret_backend  TEXT NOT NULL DEFAULT 'local',
  aws_region      TEXT,
  allowed_targets TEXT NOT NULL DEFAULT '[]',
  updated_at      INTEGER NOT NULL
);

-- Outbound connections. config is non-secret; material lives in the secret store chosen when
-- the connection was created (secret_backend), under versions: current_version is in force,
-- staged_version is being probed.
CREATE TABLE connections (
  tenant_id       TEXT NOT NULL REFERENCES tenants(tenant_id),
  connection_id   TEXT NOT NULL,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  base_url        TEXT,
  config          TEXT NOT NULL,
  probe_path      TEXT,
  external_id     TEXT UNIQUE,
  secret_backend  TEXT NOT NULL,
  current_version INTEGER,
  staged_version  INTEGER,
  next_version    INTEGER NOT NULL DEFAULT 1,
  status          TEXT NOT NULL,
  status_detail   TEXT,
  last_probe_at   INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, connection_id),
  UNIQUE (tenant_id, name)
);

-- The local secret store: material sealed (AES-256-GCM) under the tenant's data key, with
-- tenant, connection and version bound as associated data.
CREATE TABLE connection_secrets (
  tenant_id     TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  version       INTEGER NOT NULL,
  sealed        BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, connection_id, version),
  FOREIGN KEY (tenant_id, connection_id) REFERENCES connections(tenant_id, connection_id)
);

-- OAuth2 consents in progress: the state is stored as its SHA-256 and used once; the PKCE
-- verifier is sealed under the tenant's data key.
CREATE TABLE oauth_states (
  state_sha256    TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  connection_id   TEXT NOT NULL,
  sealed_verifier BLOB NOT NULL,
  redirect_uri    TEXT NOT NULL,
  actor           TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, connection_id) REFERENCES connections(tenant_id, connection_id)
);
