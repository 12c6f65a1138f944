package com.airotech.connect.connection;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stored form of a {@link Detail} in {@code connections.status_detail}: a plain sentence for
 * {@link Detail.Text}, a small JSON object ({@code {"needs":…}}) for the others. Rows written by
 * earlier releases hold the sentence the HTTP API showed; they are read back into the same values,
 * so an upgraded site shows every front end its own wording for them as well.
 */
final class DetailCodec {
    private static final String MARK = "{\"needs\":";
    private static final Pattern LEGACY_AGAIN = Pattern.compile("^Consent must be given again: (.*)\\. Open GET /api/connections/\\S+/authorize\\.$", Pattern.DOTALL);
    private static final Pattern LEGACY_REFUSED = Pattern.compile(
            "^(.*): the system refused the credential\\. Stage a correct one with POST /api/connections/\\S+/credential\\.$", Pattern.DOTALL);

    private static final Pattern LEGACY_TARGET = Pattern.compile(
            "^(.*) The operator can allow it with: airotech-connect connections policy --tenant (\\S+) --allow (\\S+)$", Pattern.DOTALL);

    private DetailCodec() {}

    static String encode(Detail d) {
        if (d == null) return null;
        if (d instanceof Detail.Text t) return t.text();
        if (d instanceof Detail.NeedsProbe) return MARK + "\"probe\"}";
        if (d instanceof Detail.NeedsMaterial) return MARK + "\"material\"}";
        if (d instanceof Detail.NeedsClientSecretAndConsent) return MARK + "\"client_secret\"}";
        if (d instanceof Detail.NeedsConsent) return MARK + "\"consent\"}";
        if (d instanceof Detail.NeedsRole) return MARK + "\"role\"}";
        if (d instanceof Detail.NeedsConsentAgain a) return Json.write(Json.object().put("needs", "consent_again").put("reason", a.reason()));
        if (d instanceof Detail.TargetRefused t) {
            return Json.write(Json.object().put("needs", "target").put("refusal", t.refusal()).put("tenant_id", t.tenantId()).put("allow", t.allow()));
        }
        Detail.CredentialRefused r = (Detail.CredentialRefused) d;
        return Json.write(Json.object().put("needs", "credential").put("what", r.what()));
    }

    static Detail decode(String s) {
        if (s == null) return null;
        if (s.startsWith(MARK)) {
            JsonNode n = Json.tree(s);
            if (n instanceof ObjectNode o) {
                switch (o.path("needs").asText()) {
                    case "probe": return new Detail.NeedsProbe();
                    case "material": return new Detail.NeedsMaterial();
                    case "client_secret": return new Detail.NeedsClientSecretAndConsent();
                    case "consent": return new Detail.NeedsConsent();
                    case "role": return new Detail.NeedsRole();
                    case "consent_again": return new Detail.NeedsConsentAgain(o.path("reason").asText());
                    case "credential": return new Detail.CredentialRefused(o.path("what").asText());
                    case "target": return new Detail.TargetRefused(o.path("refusal").asText(), o.path("tenant_id").asText(), o.path("allow").asText());
                    default: return new Detail.Text(s);
                }
            }
        }
        return legacy(s);
    }

    /** The sentences earlier releases stored, read back as the values they stood for. */
    private static Detail legacy(String s) {
        if (s.startsWith("Not probed yet: POST /api/connections/")) return new Detail.NeedsProbe();
        if (s.startsWith("No credential yet: POST it to /api/connections/")) return new Detail.NeedsMaterial();
        if (s.startsWith("No consent yet: register the client secret (POST /api/connections/")) return new Detail.NeedsClientSecretAndConsent();
        if (s.startsWith("Client secret registered; give consent: GET /api/connections/")) return new Detail.NeedsConsent();
        if (s.startsWith("No role yet: create the role with the trust policy shown, then POST its role_arn to /api/connections/")) return new Detail.NeedsRole();
        Matcher m = LEGACY_AGAIN.matcher(s);
        if (m.matches()) return new Detail.NeedsConsentAgain(m.group(1));
        m = LEGACY_REFUSED.matcher(s);
        if (m.matches()) return new Detail.CredentialRefused(m.group(1));
        m = LEGACY_TARGET.matcher(s);
        if (m.matches()) return new Detail.TargetRefused(m.group(1), m.group(2), m.group(3));
        return new Detail.Text(s);
    }
}
