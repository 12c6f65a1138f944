package com.airotech.connect.ui;

/**
 * Ready-to-run shell examples that send one event the way a site gateway would, per method. They
 * hold the credential, so they are shown only in the show-once dialog, and cleared with it.
 */
final class ExampleScripts {
    private ExampleScripts() {}

    private static String body(String eventType) {
        return "{\"event_type\":\"" + eventType + "\",\"data\":{\"source\":\"console-example\"}}";
    }

    /** Standard Webhooks signature computed with openssl, sent with curl. */
    static String hmac(String url, String secret, String eventType) {
        return String.join("\n",
                "URL='" + url + "'",
                "SECRET='" + secret + "'",
                "BODY='" + body(eventType) + "'",
                "ID=\"msg_$(date +%s%N)\"; TS=\"$(date +%s)\"",
                "KEY=\"$(printf '%s' \"${SECRET#whsec_}\" | base64 -d | od -An -v -tx1 | tr -d ' \\n')\"",
                "SIG=\"$(printf '%s' \"$ID.$TS.$BODY\" | openssl dgst -sha256 -mac HMAC -macopt \"hexkey:$KEY\" -binary | base64)\"",
                "curl -sS -X POST \"$URL\" -H 'Content-Type: application/json' \\",
                "  -H \"webhook-id: $ID\" -H \"webhook-timestamp: $TS\" -H \"webhook-signature: v1,$SIG\" \\",
                "  --data-binary \"$BODY\"");
    }

    static String apiKey(String url, String key, String eventType) {
        return String.join("\n",
                "curl -sS -X POST '" + url + "' \\",
                "  -H 'Content-Type: application/json' \\",
                "  -H 'X-Api-Key: " + key + "' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    static String basic(String url, String user, String password, String eventType) {
        return String.join("\n",
                "curl -sS -X POST '" + url + "' \\",
                "  -u '" + user + ":" + password + "' \\",
                "  -H 'Content-Type: application/json' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    /** The admin API with a tenant's token: list its connectors. */
    static String adminToken(String baseUrl, String token) {
        return String.join("\n",
                "curl -sS '" + baseUrl + "/api/connectors' \\",
                "  -H 'Authorization: Bearer " + token + "'");
    }
}
