package com.airotech.connect.ui.connectors;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Secret;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.connector.IssuedCredential;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.GatewayUrls;
import com.airotech.connect.ui.common.OneTimeSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Connectors screen's state: the tenant's connectors with their last event and rotation
 * state, and the actions on them. Service calls run through {@link Background}; what they return
 * is folded in on the FX thread.
 */
public final class ConnectorsModel {
    /** A connector as listed: the record, when it last delivered, and the current credential id during a grace. */
    public record Row(Connector connector, Instant lastEvent, String currentCredentialId) {}

    private record Loaded(List<Connector> connectors, Map<String, Instant> lastEvents, Map<String, String> graceCredentials) {}

    private final ConsoleContext ctx;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();

    public ConnectorsModel(ConsoleContext ctx) { this.ctx = ctx; }

    ObservableList<Row> rows() { return rows; }

    void reload() {
        Principal p = ctx.principal();
        if (p == null) {
            rows.clear();
            return;
        }
        ctx.background().call(() -> read(ctx.platform(), p), this::loaded, ctx::failed);
    }

    private static Loaded read(Platform platform, Principal p) {
        List<Connector> list = platform.connectors().list(p);
        Map<String, String> grace = new HashMap<>();
        for (Connector c : list) {
            if (c.previousValidUntil() != null) {
                String current = currentCredentialId(platform.connectors(), c);
                if (current != null) grace.put(c.connectorId(), current);
            }
        }
        return new Loaded(list, platform.ingest().lastReceivedByConnector(p), grace);
    }

    /** The id of the credential that has no end: the one a rotation issued last. */
    private static String currentCredentialId(ConnectorService service, Connector c) {
        ConnectorAuth auth = service.auth(c.tenantId(), c.connectorId()).orElse(null);
        if (auth == null) return null;
        for (CredentialState s : auth.credentials()) if (s.validUntil() == null) return s.credentialId();
        return null;
    }

    private void loaded(Loaded l) {
        List<Row> out = new ArrayList<>();
        for (Connector c : l.connectors()) {
            String current = l.graceCredentials().get(c.connectorId());
            if (current != null) ctx.feed().watchGrace(c.tenantId(), c.connectorId(), current);
            else ctx.feed().endGrace(c.tenantId(), c.connectorId());
            out.add(new Row(c, l.lastEvents().get(c.connectorId()), current));
        }
        rows.setAll(out);
    }

    /** The latest of the stored last event and what the live feed saw since. */
    Instant lastEvent(Row r) {
        Instant live = ctx.feed().lastEvent(r.connector().tenantId(), r.connector().connectorId());
        if (live == null) return r.lastEvent();
        if (r.lastEvent() == null) return live;
        return live.isAfter(r.lastEvent()) ? live : r.lastEvent();
    }

    /** Time left of a running rotation grace, or null when none runs. */
    Duration graceLeft(Connector c) {
        if (c.previousValidUntil() == null) return null;
        Duration d = Duration.between(ctx.clock().instant(), c.previousValidUntil());
        return d.isNegative() || d.isZero() ? null : d;
    }

    String status(Row r) {
        Connector c = r.connector();
        if (!c.active()) return "Revoked";
        return graceLeft(c) != null ? "Rotating" : "Active";
    }

    String rotation(Row r) {
        Connector c = r.connector();
        if (!c.active()) return "Revoked " + Formats.ago(c.revokedAt(), ctx.clock().instant());
        Duration left = graceLeft(c);
        if (left != null) {
            long uses = ctx.feed().previousCredentialUses(c.tenantId(), c.connectorId());
            return "Grace " + Formats.countdown(left) + " left" + (uses > 0 ? " · " + uses + " used the old one" : "");
        }
        if (c.credentialCreatedAt() != null && c.credentialCreatedAt().isAfter(c.createdAt())) {
            return "Rotated " + Formats.ago(c.credentialCreatedAt(), ctx.clock().instant());
        }
        return "Not rotated";
    }

    /** Registers a connector (off the FX thread); the result carries the credential to show once. */
    public Registration register(RegistrationRequest r, Principal p) { return ctx.platform().connectors().register(p, r); }

    public ConnectorService.Rotation rotate(Principal p, String connectorId, int graceSeconds, CredentialOptions options) {
        return ctx.platform().connectors().rotate(p, connectorId, graceSeconds, options);
    }

    public Connector revoke(Principal p, String connectorId) { return ctx.platform().connectors().revoke(p, connectorId); }

    /** What the show-once dialog presents for a credential issued to {@code c}: per method, what it hands over. */
    public OneTimeSecret oneTime(Connector c, IssuedCredential issued, boolean rotated, Instant previousUntil) {
        MethodGuide g = MethodGuide.of(c.authMethod());
        String base = GatewayUrls.baseUrl(ctx);
        String https = ctx.gatewayStatus().get() == null ? null : ctx.gatewayStatus().get().httpsUrl();
        String path = "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId();
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("Connector ID", c.connectorId()));
        switch (c.authMethod()) {
            case BASIC -> facts.add(Map.entry("User name", c.connectorId()));
            case OAUTH2 -> {
                facts.add(Map.entry("Client ID", c.connectorId()));
                facts.add(Map.entry("Token endpoint", base + "/oauth2/token"));
            }
            default -> { }
        }
        if (c.authMethod() == AuthMethod.MTLS) {
            facts.add(Map.entry("Webhook URL", https == null ? "HTTPS is off: turn it on under Settings" : https + path));
        } else {
            facts.add(Map.entry("Webhook URL", base + path));
        }
        Secret privateKey = issued.shown().get("private_key_pem");
        Secret bundle = issued.shown().get("client_p12_base64");
        Secret bundlePassword = issued.shown().get("client_p12_password");
        String signedCert = c.authMethod() == AuthMethod.MTLS && bundle == null ? issued.published().get("client_certificate_pem") : null;
        boolean generated = privateKey != null || bundle != null;
        Secret oneLine = issued.credential() != null ? issued.credential() : bundlePassword;
        String what = switch (c.authMethod()) {
            case RSA -> generated ? "private key" : "public key";
            case MTLS -> generated ? "certificate bundle and its password" : "signed certificate";
            default -> g.credentialName().toLowerCase();
        };
        String intro = rotated
                ? "A new " + what + " for " + c.systemName() + ". The previous one keeps working until "
                  + Formats.clock(previousUntil) + "; put this one in the site gateway before then."
                : c.systemName() + " is registered with " + g.title() + ".";
        intro += switch (c.authMethod()) {
            case RSA -> generated ? " Save the private key for the site gateway now: it is shown only once, and the platform keeps only the public key."
                    : " The platform keeps the public key you gave; the site gateway signs with its private key, which never leaves it.";
            case MTLS -> generated ? " Save the PKCS#12 bundle (key and certificate) for the site gateway and note its password: both are shown only once."
                    : " Give the signed certificate to the site gateway; it pairs it with the key it made for the CSR.";
            default -> " Put this " + g.credentialName().toLowerCase() + " in the site gateway's configuration now: it is shown only once, and the gateway keeps only its SHA-256.";
        };
        OneTimeSecret s = new OneTimeSecret((rotated ? "New credential for " : "Connector registered: ") + c.systemName(), intro,
                g.credentialName(), oneLine, issued.credentialSha256(), facts, secret -> g.example(base, https, c, secret, generated));
        switch (c.authMethod()) {
            case RSA -> {
                s.shaLabel("SHA-256 of the public key (openssl pkey -pubin -outform DER | sha256sum prints the same)");
                if (privateKey != null) s.block("Private key (PEM)", privateKey, MethodGuide.privateKeyFile(c));
                else s.confirm("I have noted the connector's id and webhook URL for the site gateway");
            }
            case MTLS -> {
                s.shaLabel("SHA-256 fingerprint of the client certificate (what the gateway checks)");
                if (bundle != null) s.bundle("PKCS#12 bundle: private key and client certificate", bundle, MethodGuide.bundleFile(c));
                if (signedCert != null) s.publicText("Signed client certificate (PEM)", signedCert, MethodGuide.certificateFile(c))
                        .confirm("I have given the signed certificate to the site gateway; it is not kept by the platform");
            }
            default -> { }
        }
        return s;
    }
}
