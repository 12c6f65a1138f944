-- Schema 5: the audit chain is keyed (HMAC-SHA256) under a key sealed by the master key.

-- The audit chain's key: 32 random bytes sealed (AES-256-GCM) by the master key, with its id and
-- creation time bound as associated data; a backup of the database carries it, `keys rotate`
-- re-seals it. One row.
CREATE TABLE audit_keys (
  key_id      TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  sealed_key  BLOB NOT NULL
);

-- Each tenant's chain head, sealed: keyed_from is the first entry whose hash is an HMAC (entries
-- before it were written before the chain was keyed, SHA-256 only); head_mac is the HMAC of the
-- head (tenant, n, hash, keyed_from), so neither the head nor the keyed point can be moved.
ALTER TABLE audit_heads ADD COLUMN keyed_from INTEGER;
ALTER TABLE audit_heads ADD COLUMN head_mac TEXT;
