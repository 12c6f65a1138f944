-- Schema 9: a tenant's outbound settings (its address policy, its secret store) are read on every
-- outbound call and delivery attempt from a cache; changing them bumps the change counter, so a
-- gateway drops that cache within 100 ms when the command line changes the policy in another process.

CREATE TRIGGER connection_settings_ins AFTER INSERT ON tenant_connection_settings BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER connection_settings_upd AFTER UPDATE ON tenant_connection_settings BEGIN UPDATE change_counter SET version = version + 1; END;
CREATE TRIGGER connection_settings_del AFTER DELETE ON tenant_connection_settings BEGIN UPDATE change_counter SET version = version + 1; END;
