package com.airotech.connect.audit;

import java.util.Arrays;
import java.util.List;

/**
 * Every action the audit trail records. The {@link #wire() wire name} is what is stored in the
 * chain (and so hashed), shown in the console and filtered on by {@code GET /api/audit?action=}:
 * it never changes once written. docs/audit.md and API.md describe them.
 */
public enum AuditAction {
    TENANT_CREATED("tenant.created"),
    TENANT_DISABLED("tenant.disabled"),
    TENANT_ENABLED("tenant.enabled"),
    ADMIN_TOKEN_ROTATED("admin_token.rotated"),
    ADMIN_TOKEN_REVOKED("admin_token.revoked"),
    /** Summary of admin tokens refused because their tenant is disabled. */
    ADMIN_TOKEN_REFUSED("admin_token.refused"),

    CONNECTOR_REGISTERED("connector.registered"),
    CONNECTOR_UPDATED("connector.updated"),
    CONNECTOR_ROTATED("connector.rotated"),
    CONNECTOR_REVOKED("connector.revoked"),
    /** Summary of rejected authentications (rate-limited: one line per connector and address a minute). */
    AUTH_REJECTED("auth.rejected"),

    CONNECTION_CREATED("connection.created"),
    CONNECTION_DELETED("connection.deleted"),
    CONNECTION_CREDENTIAL_STAGED("connection.credential_staged"),
    CONNECTION_CREDENTIAL_COMMITTED("connection.credential_committed"),
    CONNECTION_CREDENTIAL_REJECTED("connection.credential_rejected"),
    CONNECTION_REAUTH_REQUIRED("connection.reauth_required"),
    CONNECTION_CONSENT_FAILED("connection.consent_failed"),
    CONNECTION_POLICY_CHANGED("connection.policy_changed"),
    CONNECTION_SECRET_STORE_CHANGED("connection.secret_store_changed"),

    SUBSCRIPTION_CREATED("subscription.created"),
    SUBSCRIPTION_UPDATED("subscription.updated"),
    SUBSCRIPTION_DELETED("subscription.deleted"),
    SUBSCRIPTION_SECRET_ROTATED("subscription.secret_rotated"),
    SUBSCRIPTION_DISABLED("subscription.disabled"),
    SUBSCRIPTION_RECOVERED("subscription.recovered"),
    DELIVERY_RETRIED("delivery.retried"),

    RETENTION_CHANGED("retention.changed"),
    /** Events pruned under the disk floor before they were published or delivered. */
    EVENTS_PRUNED_UNPUBLISHED("events.pruned_unpublished"),
    /** Audit entries pruned by retention (the chain keeps its anchor). */
    AUDIT_PRUNED("audit.pruned");

    private final String wire;

    AuditAction(String wire) { this.wire = wire; }

    /** The name stored in the trail and shown to operators. */
    public String wire() { return wire; }

    /** Every wire name, in declaration order (the console's filter list). */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(AuditAction::wire).toList();
    }

    @Override
    public String toString() { return wire; }
}
