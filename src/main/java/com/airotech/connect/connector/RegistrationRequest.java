package com.airotech.connect.connector;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated registration. Method-specific inputs ({@code public_key_pem}, {@code csr_pem}) are
 * public material and travel in {@code options}.
 */
public record RegistrationRequest(String systemName, String webhookUrl, AuthMethod authMethod, List<String> eventTypes,
                                  int graceSeconds, CredentialOptions options) {
    public static final Pattern EVENT_TYPE = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");

    /** True when {@code t} matches {@link #EVENT_TYPE}; checked by hand because it runs on every ingested event. */
    public static boolean isEventType(String t) {
        if (t == null || t.isEmpty() || t.length() > 64) return false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
            if (!ok) return false;
        }
        return true;
    }
    public static final int DEFAULT_GRACE_SECONDS = 60;
    public static final int MAX_GRACE_SECONDS = 86_400;

    public RegistrationRequest {
        if (systemName == null || systemName.isBlank()) throw ApiException.invalidRequest("Field 'system_name' is required.");
        if (systemName.length() > 128 || !Text.isPrintable(systemName)) {
            throw ApiException.invalidRequest("Field 'system_name' must be 1-128 printable characters.");
        }
        if (webhookUrl != null) validateWebhookUrl(webhookUrl);
        if (authMethod == null) throw ApiException.invalidRequest("Field 'auth_method' is required.");
        if (eventTypes != null) {
            // an empty allow-list would refuse every event: that is never what was meant
            if (eventTypes.isEmpty()) throw ApiException.invalidRequest("Field 'event_types' must list at least one type; leave it out to accept any type.");
            if (eventTypes.size() > 256) throw ApiException.invalidRequest("Field 'event_types' may list at most 256 types.");
            for (String t : eventTypes) {
                if (!isEventType(t)) {
                    throw ApiException.invalidRequest("Field 'event_types' holds an invalid type; each must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
                }
            }
            eventTypes = List.copyOf(new LinkedHashSet<>(eventTypes));
        }
        validateGrace(graceSeconds);
        if (options == null) options = CredentialOptions.NONE;
    }

    public static void validateGrace(int graceSeconds) {
        if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw ApiException.invalidRequest("Field 'grace_seconds' must be between 0 and " + MAX_GRACE_SECONDS + ".");
        }
    }

    static void validateWebhookUrl(String url) {
        String bad = "Field 'webhook_url' must be an absolute http or https URL without user info.";
        if (url.length() > 2048 || !Text.isPrintable(url)) throw ApiException.invalidRequest(bad);
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getRawUserInfo() != null
                    || u.getHost() == null || u.getHost().isEmpty() || u.getRawAuthority().contains("@")) {
                throw ApiException.invalidRequest(bad);
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalidRequest(bad);
        }
    }

    /** Reads and validates a JSON registration body. */
    public static RegistrationRequest fromJson(JsonNode body) {
        String systemName = text(body, "system_name");
        String webhookUrl = text(body, "webhook_url");
        String method = text(body, "auth_method");
        if (method == null) throw ApiException.invalidRequest("Field 'auth_method' is required.");
        List<String> types = null;
        JsonNode et = body.get("event_types");
        if (et != null && !et.isNull()) {
            if (!et.isArray()) throw ApiException.invalidRequest("Field 'event_types' must be an array of strings.");
            types = new ArrayList<>();
            for (JsonNode t : et) {
                if (!t.isTextual()) throw ApiException.invalidRequest("Field 'event_types' must be an array of strings.");
                types.add(t.asText());
            }
        }
        int grace = intField(body, "grace_seconds", DEFAULT_GRACE_SECONDS);
        return new RegistrationRequest(systemName, webhookUrl, AuthMethod.fromWire(method), types, grace, CredentialOptions.fromJson(body));
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiException.invalidRequest("Field '" + field + "' must be a string.");
        return n.asText();
    }

    static int intField(JsonNode body, String field, int dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) throw ApiException.invalidRequest("Field '" + field + "' must be an integer.");
        return n.asInt();
    }
}
