package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.secret.SecretRef;
import com.airotech.connect.secret.SecretStore;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.secret.SecretStores;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * The material in force for each connection, opened once per version and reused while that version
 * is current, and the HTTP clients that go with it; every client connects only to addresses the
 * tenant's policy allows, resolved and checked at the moment of connecting.
 */
final class InForce {
    private final SecretStores stores;
    private final OutboundGuard guard;
    private final Function<String, AddressPolicy> policy;
    private final ConcurrentHashMap<String, Active> active = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CloseableHttpClient> plainClients = new ConcurrentHashMap<>();

    InForce(SecretStores stores, OutboundGuard guard, Function<String, AddressPolicy> policy) {
        this.stores = stores;
        this.guard = guard;
        this.policy = policy;
    }

    static String key(Connection c) { return c.tenantId() + "/" + c.connectionId(); }

    SecretStore store(Connection c) {
        try {
            return stores.forBackend(c.secretBackend());
        } catch (SecretStoreException e) {
            throw ApiException.unavailable(e.getMessage());
        }
    }

    /** The resolver a connection's HTTP client connects through: the tenant's policy in force at each connect. */
    DnsResolver dns(Connection c) {
        String tenantId = c.tenantId();
        return guard.resolverFor(tenantId, () -> policy.apply(tenantId));
    }

    /** The material in force for a connection: reused while its version is current, else read from the store. */
    Active of(Connection c) {
        if (c.currentVersion() == null) {
            if (c.kind() == ConnectionKind.NONE) return active.computeIfAbsent(key(c), k -> Active.none(c, dns(c)));
            throw ConnectionFailure.needsMaterial(c);
        }
        Active cached = active.get(key(c));
        if (cached != null && cached.version == c.currentVersion()) return cached;
        Secret stored;
        try {
            stored = store(c).get(new SecretRef(c.tenantId(), c.connectionId(), c.currentVersion()));
        } catch (SecretStoreException | SealedValueException e) {
            throw ApiException.unavailable("The material of connection " + c.connectionId() + " cannot be read: " + e.getMessage());
        }
        Active a = Active.open(c, c.currentVersion(), decode(c, stored), dns(c));
        active.merge(key(c), a, (old, nu) -> old.version >= nu.version ? old : nu);
        return a;
    }

    /** A client with no material, for the token endpoint of a connection that has none yet. */
    Active none(Connection c) { return Active.none(c, dns(c)); }

    Active open(Connection c, int version, Material m) { return Active.open(c, version, m, dns(c)); }

    void put(Connection c, Active a) { active.put(key(c), a); }

    void forget(Connection c) { active.remove(key(c)); }

    /** The stored document read back into the kind's material record: the parsing edge of material. */
    static Material decode(Connection c, Secret stored) {
        JsonNode n = Json.tree(stored.bytes());
        if (!n.isObject()) throw new IllegalStateException("stored material is not a JSON object");
        return c.kind().spec().decode(n);
    }

    /**
     * A client without credential or custom CA for one tenant (a URL that is no connection, such as a
     * connector's webhook_url), under the same address policy as every connection's client.
     */
    CloseableHttpClient plainClient(String tenantId) {
        return plainClients.computeIfAbsent(tenantId, t -> Tls.client(null, null, guard.resolverFor(t, () -> policy.apply(t))));
    }

    /** Tests play a DNS server whose answers change (rebinding). */
    void useNames(OutboundGuard.Names names) { guard.useNames(names); }
}
