package com.airotech.connect.ui;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the console presents each inbound method it can register: a title, a sentence for the
 * wizard, what the credential is called, and the ready-to-run example. The wizard offers a method
 * when the gateway supports it and a guide exists here; the other methods get a guide (with its
 * own show-once presentation) when the gateway gains them.
 */
enum MethodGuide {
    HMAC(AuthMethod.HMAC, "HMAC signatures", "HMAC", "Recommended. The site gateway signs every request with a shared secret "
            + "(Standard Webhooks); the secret itself never travels.", "Signing secret"),
    API_KEY(AuthMethod.API_KEY, "API key", "API key", "The site gateway sends a long random key in the X-Api-Key header. "
            + "Simple; use it over HTTPS.", "API key"),
    BASIC(AuthMethod.BASIC, "Basic authentication", "Basic", "The site gateway sends the connector id as user name and a random "
            + "password (HTTP Basic). For devices that support nothing else.", "Password");

    private final AuthMethod method;
    private final String title;
    private final String shortTitle;
    private final String description;
    private final String credentialName;

    MethodGuide(AuthMethod method, String title, String shortTitle, String description, String credentialName) {
        this.method = method;
        this.title = title;
        this.shortTitle = shortTitle;
        this.description = description;
        this.credentialName = credentialName;
    }

    AuthMethod method() { return method; }
    String title() { return title; }
    String shortTitle() { return shortTitle; }

    /** A table's name for any method, also one without a guide yet. */
    static String shortName(AuthMethod m) {
        MethodGuide g = of(m);
        return g == null ? m.wire() : g.shortTitle;
    }
    String description() { return description; }
    String credentialName() { return credentialName; }

    static MethodGuide of(AuthMethod m) {
        for (MethodGuide g : values()) if (g.method == m) return g;
        return null;
    }

    /** The guides of the methods this gateway can register, in the wizard's order. */
    static Set<MethodGuide> available(Set<AuthMethod> supported) {
        Set<MethodGuide> out = EnumSet.noneOf(MethodGuide.class);
        for (MethodGuide g : values()) if (supported.contains(g.method)) out.add(g);
        return out;
    }

    /** A ready-to-run example that sends one event for {@code c} with {@code credential}. */
    String example(String baseUrl, Connector c, String credential) {
        String url = baseUrl + "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId();
        String type = c.eventTypes() == null || c.eventTypes().isEmpty() ? "status" : c.eventTypes().get(0);
        return switch (this) {
            case HMAC -> ExampleScripts.hmac(url, credential, type);
            case API_KEY -> ExampleScripts.apiKey(url, credential, type);
            case BASIC -> ExampleScripts.basic(url, c.connectorId(), credential, type);
        };
    }
}
