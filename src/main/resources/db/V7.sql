-- Schema 7 (site lifecycle): admin token rotation with a grace, and tenants that can be disabled.

-- A rotated-out admin token authenticates until valid_until (epoch ms), then never again;
-- NULL = the tenant's current token. revoked_at ends a token at once, as before.
ALTER TABLE admin_tokens ADD COLUMN valid_until INTEGER;

-- A disabled tenant's admin tokens and connectors are refused until it is enabled again.
ALTER TABLE tenants ADD COLUMN disabled_at INTEGER;
