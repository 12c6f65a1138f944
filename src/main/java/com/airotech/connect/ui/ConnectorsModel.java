package com.airotech.connect.ui;

import com.airotech.connect.app.Platform;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorAuth;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.CredentialState;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
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
final class ConnectorsModel {
    /** A connector as listed: the record, when it last delivered, and the current credential id during a grace. */
    record Row(Connector connector, Instant lastEvent, String currentCredentialId) {}

    private record Loaded(List<Connector> connectors, Map<String, Instant> lastEvents, Map<String, String> graceCredentials) {}

    private final ConsoleContext ctx;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();

    ConnectorsModel(ConsoleContext ctx) { this.ctx = ctx; }

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
    Registration register(RegistrationRequest r, Principal p) { return ctx.platform().connectors().register(p, r); }

    ConnectorService.Rotation rotate(Principal p, String connectorId, int graceSeconds) {
        return ctx.platform().connectors().rotate(p, connectorId, graceSeconds, CredentialOptions.NONE);
    }

    Connector revoke(Principal p, String connectorId) { return ctx.platform().connectors().revoke(p, connectorId); }

    /** What the show-once dialog presents for a credential issued to {@code c}. */
    OneTimeSecret oneTime(Connector c, com.airotech.connect.connector.IssuedCredential issued, boolean rotated, Instant previousUntil) {
        MethodGuide g = MethodGuide.of(c.authMethod());
        String base = TenantsController.baseUrl(ctx);
        String url = base + "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId();
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("Connector ID", c.connectorId()));
        if (c.authMethod() == com.airotech.connect.connector.AuthMethod.BASIC) facts.add(Map.entry("User name", c.connectorId()));
        facts.add(Map.entry("Webhook URL", url));
        String intro = rotated
                ? "A new " + g.credentialName().toLowerCase() + " for " + c.systemName() + ". The previous one keeps working until "
                  + Formats.clock(previousUntil) + "; put this one in the site gateway before then. It is shown only now."
                : c.systemName() + " is registered with " + g.title() + ". Put this " + g.credentialName().toLowerCase()
                  + " in the site gateway's configuration now: it is shown only once, and the gateway keeps only its SHA-256.";
        return new OneTimeSecret((rotated ? "New credential for " : "Connector registered: ") + c.systemName(), intro,
                g.credentialName(), issued.credential(), issued.credentialSha256(), facts, secret -> g.example(base, c, secret));
    }
}
