package com.airotech.connect.ui.connectors;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.ui.common.ExampleScripts;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the console presents each inbound method: a title, a sentence for the wizard, what the
 * credential is called, and the ready-to-run example. The wizard offers a method when the gateway
 * supports it and a guide exists here.
 */
public enum MethodGuide {
    HMAC(AuthMethod.HMAC, "HMAC signatures", "HMAC", "Recommended. The site gateway signs every request with a shared secret "
            + "(Standard Webhooks); the secret itself never travels.", "Signing secret"),
    RSA(AuthMethod.RSA, "RSA signatures", "RSA", "The site gateway signs every request with its RSA private key (Standard Webhooks, v1r); "
            + "the platform keeps only the public key. Paste the gateway's public key, or let the platform make a key pair.", "Private key"),
    OAUTH2(AuthMethod.OAUTH2, "OAuth2 client credentials", "OAuth2", "The site gateway fetches a short-lived access token from the "
            + "platform's token endpoint with a client id and secret, and sends it as a Bearer token.", "Client secret"),
    MTLS(AuthMethod.MTLS, "Client certificate (mTLS)", "mTLS", "The site gateway presents a client certificate from the platform's "
            + "certificate authority on the HTTPS listener. The platform issues key and certificate, or signs the gateway's CSR.", "Bundle password"),
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

    /** A table's name for any method. */
    public static String shortName(AuthMethod m) {
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

    /** A file name made of the connector's name: letters, digits, '.', '_' and '-' only. */
    public static String fileStem(Connector c) {
        String s = c.systemName().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "");
        return s.isEmpty() ? c.connectorId() : s;
    }

    /** Where the show-once dialog offers to save a generated RSA private key; the example reads it from there. */
    static String privateKeyFile(Connector c) { return fileStem(c) + "-private-key.pem"; }

    /** Where the show-once dialog offers to save a PKCS#12 bundle; the example reads it from there. */
    public static String bundleFile(Connector c) { return fileStem(c) + ".p12"; }

    /** Where the show-once dialog offers to save a certificate signed from a CSR. */
    static String certificateFile(Connector c) { return fileStem(c) + "-client.pem"; }

    /** A ready-to-run example over plain HTTP (every method but mtls). */
    public String example(String baseUrl, Connector c, String credential) { return example(baseUrl, null, c, credential, true); }

    /**
     * A ready-to-run example that sends one event for {@code c}. {@code credential} is the one-line
     * secret shown (for mtls the bundle's password; null when there is none, as for an rsa key the
     * sender made or an mtls certificate signed from its CSR); {@code generated} says whether the
     * platform made the key (rsa, mtls), so the example reads it from the file the dialog saves.
     */
    public String example(String baseUrl, String httpsBaseUrl, Connector c, String credential, boolean generated) {
        String path = "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId();
        String url = baseUrl + path;
        String type = c.eventTypes() == null || c.eventTypes().isEmpty() ? "status" : c.eventTypes().get(0);
        return switch (this) {
            case HMAC -> ExampleScripts.hmac(url, credential, type);
            case RSA -> ExampleScripts.rsa(url, generated ? privateKeyFile(c) : "your-private-key.pem", type);
            case OAUTH2 -> ExampleScripts.oauth2(baseUrl + "/oauth2/token", url, c.connectorId(), credential, type);
            case MTLS -> ExampleScripts.mtls(httpsBaseUrl == null ? null : httpsBaseUrl + path, baseUrl + "/api/pki/ca.pem",
                    generated ? bundleFile(c) : null, credential, certificateFile(c), type);
            case API_KEY -> ExampleScripts.apiKey(url, credential, type);
            case BASIC -> ExampleScripts.basic(url, c.connectorId(), credential, type);
        };
    }
}
