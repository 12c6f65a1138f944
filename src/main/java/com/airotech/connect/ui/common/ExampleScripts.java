package com.airotech.connect.ui.common;

/**
 * Ready-to-run shell examples that send one event the way a site gateway would, per method. They
 * hold the credential, so they are shown only in the show-once dialog, and cleared with it.
 */
public final class ExampleScripts {
    private ExampleScripts() {}

    private static String body(String eventType) {
        return "{\"event_type\":\"" + eventType + "\",\"data\":{\"source\":\"console-example\"}}";
    }

    /** Standard Webhooks signature computed with openssl, sent with curl. */
    public static String hmac(String url, String secret, String eventType) {
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

    /** Standard Webhooks v1r: RSASSA-PKCS1-v1_5 SHA-256 with the sender's private key, through openssl. */
    public static String rsa(String url, String keyFile, String eventType) {
        return String.join("\n",
                "URL='" + url + "'",
                "KEY_FILE='" + keyFile + "'   # the site gateway's RSA private key (PEM)",
                "BODY='" + body(eventType) + "'",
                "ID=\"msg_$(date +%s%N)\"; TS=\"$(date +%s)\"",
                "SIG=\"$(printf '%s' \"$ID.$TS.$BODY\" | openssl dgst -sha256 -sign \"$KEY_FILE\" | openssl base64 -A)\"",
                "curl -sS -X POST \"$URL\" -H 'Content-Type: application/json' \\",
                "  -H \"webhook-id: $ID\" -H \"webhook-timestamp: $TS\" -H \"webhook-signature: v1r,$SIG\" \\",
                "  --data-binary \"$BODY\"");
    }

    /** The token call (client credentials, HTTP Basic), then the event with the access token. */
    public static String oauth2(String tokenUrl, String url, String clientId, String secret, String eventType) {
        return String.join("\n",
                "TOKEN=\"$(curl -sS -u '" + clientId + ":" + secret + "' -d grant_type=client_credentials \\",
                "  '" + tokenUrl + "' | sed -E 's/.*\"access_token\" *: *\"([^\"]+)\".*/\\1/')\"",
                "curl -sS -X POST '" + url + "' \\",
                "  -H \"Authorization: Bearer $TOKEN\" \\",
                "  -H 'Content-Type: application/json' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    /**
     * A client certificate on the HTTPS listener: the PKCS#12 bundle with its password, or (for a
     * signed CSR, {@code bundleFile} null) the signed certificate and the gateway's own key.
     */
    public static String mtls(String httpsUrl, String caUrl, String bundleFile, String password, String certFile, String eventType) {
        if (httpsUrl == null) {
            return "# The HTTPS listener is off, and client certificates work only there.\n"
                    + "# Turn it on under Settings (HTTPS port), then send with curl --cert over https.";
        }
        String cert = bundleFile != null
                ? "--cert-type P12 --cert '" + bundleFile + ":" + password + "'"
                : "--cert '" + certFile + "' --key your-private-key.pem";
        return String.join("\n",
                "# the CA that signed the gateway's HTTPS certificate (also: Site gateways > Export CA certificate)",
                "curl -sS -o airotech-ca.pem '" + caUrl + "'",
                "curl -sS -X POST '" + httpsUrl + "' \\",
                "  --cacert airotech-ca.pem " + cert + " \\",
                "  -H 'Content-Type: application/json' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    public static String apiKey(String url, String key, String eventType) {
        return String.join("\n",
                "curl -sS -X POST '" + url + "' \\",
                "  -H 'Content-Type: application/json' \\",
                "  -H 'X-Api-Key: " + key + "' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    public static String basic(String url, String user, String password, String eventType) {
        return String.join("\n",
                "curl -sS -X POST '" + url + "' \\",
                "  -u '" + user + ":" + password + "' \\",
                "  -H 'Content-Type: application/json' \\",
                "  --data-binary '" + body(eventType) + "'");
    }

    /** The admin API with a tenant's token: list its connectors. */
    public static String adminToken(String baseUrl, String token) {
        return String.join("\n",
                "curl -sS '" + baseUrl + "/api/connectors' \\",
                "  -H 'Authorization: Bearer " + token + "'");
    }
}
