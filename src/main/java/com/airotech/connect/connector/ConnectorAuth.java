package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What inbound verification needs to know of a connector: its method, whether it is active, its
 * event-type allow-list (null = any) and its credentials, current and recently retired.
 */
public record ConnectorAuth(String tenantId, String connectorId, AuthMethod method, boolean active,
                            Set<String> eventTypes, List<CredentialState> credentials) {
    public ConnectorAuth {
        eventTypes = eventTypes == null ? null : Set.copyOf(eventTypes);
        credentials = List.copyOf(credentials);
    }

    /**
     * The credential the presented proof matches. A proof that matches only a credential whose
     * grace has ended is {@code 401 credential_expired}; one that matches nothing returns null so
     * the caller answers with its method's own code.
     */
    public CredentialState match(Predicate<CredentialState> proofMatches, Instant now) {
        boolean expiredMatch = false;
        for (CredentialState c : credentials) {
            if (c.validAt(now)) {
                if (proofMatches.test(c)) return c;
            }
        }
        for (CredentialState c : credentials) {
            if (!c.validAt(now) && proofMatches.test(c)) { expiredMatch = true; break; }
        }
        if (expiredMatch) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "credential_expired", "This credential was rotated and its grace period has ended; use the current credential.");
        }
        return null;
    }

    public boolean allows(String eventType) { return eventTypes == null || eventTypes.contains(eventType); }
}
