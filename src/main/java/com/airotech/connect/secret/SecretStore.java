package com.airotech.connect.secret;

import com.airotech.connect.common.Secret;

/**
 * Where a tenant's connection material lives. Versions are numbered by the caller (the connection
 * records which version is in force); a store only keeps, returns and forgets them. Material goes
 * in and comes out as a {@link Secret} and is never logged or put into an exception message.
 */
public interface SecretStore {
    /** {@code local} or {@code aws:REGION}: what a connection records so its material is found again. */
    String backend();

    /** Stores a version that is not yet in force (it is probed first). */
    void put(SecretRef ref, Secret material);

    /** @throws SecretStoreException when the version is absent or does not open for this owner */
    Secret get(SecretRef ref);

    /** The version is now in force; versions before it may be forgotten (in-flight users hold their copy). */
    void commit(SecretRef ref, Integer previousVersion);

    /** A staged version that failed its probe. */
    void discard(SecretRef ref);

    /** Every version of a connection's material (the connection is being deleted). */
    void deleteAll(String tenantId, String connectionId);
}
