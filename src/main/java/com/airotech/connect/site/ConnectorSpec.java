package com.airotech.connect.site;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.RegistrationRequest;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A connector of the site file, keyed by its system name within the tenant. Validated like a
 * registration (the same rules as {@code POST /api/connectors/register}).
 */
public record ConnectorSpec(String systemName, AuthMethod authMethod, String webhookUrl, List<String> eventTypes, int graceSeconds) {
    public ConnectorSpec {
        RegistrationRequest checked = new RegistrationRequest(systemName, webhookUrl, authMethod, eventTypes, graceSeconds, null);
        eventTypes = checked.eventTypes();
    }

    public RegistrationRequest toRequest() {
        return new RegistrationRequest(systemName, webhookUrl, authMethod, eventTypes, graceSeconds, CredentialOptions.NONE);
    }

    public static ConnectorSpec of(Connector c) {
        return new ConnectorSpec(c.systemName(), c.authMethod(), c.webhookUrl(), c.eventTypes(), c.graceSeconds());
    }

    /** True when the stored connector declares the same (event types compare as a set). */
    public boolean sameDeclarationAs(Connector c) {
        boolean sameTypes = eventTypes == null ? c.eventTypes() == null
                : c.eventTypes() != null && Set.copyOf(eventTypes).equals(Set.copyOf(c.eventTypes()));
        return c.authMethod() == authMethod && Objects.equals(webhookUrl, c.webhookUrl()) && sameTypes && graceSeconds == c.graceSeconds();
    }
}
