package com.airotech.connect.ingest;

import com.airotech.connect.connector.AuthMethod;

/** Told about every accepted and rejected ingest request (metrics, rejection summaries, live views). */
public interface IngestObserver {
    default void accepted(String tenantId, String connectorId, AuthMethod method, String eventType, long nanos) { }

    /**
     * The same, with the id of the credential that proved the request (so a rotation's grace can
     * show who still uses the previous one). Observers that do not care keep the shorter form.
     */
    default void accepted(String tenantId, String connectorId, AuthMethod method, String eventType, String credentialId, long nanos) {
        accepted(tenantId, connectorId, method, eventType, nanos);
    }

    /** {@code connectorId} and {@code method} may be null when the path named no known connector. */
    default void rejected(String tenantId, String connectorId, AuthMethod method, String code, String sourceAddress) { }

    IngestObserver NONE = new IngestObserver() { };
}
