package com.airotech.connect.ui.deliveries;

/**
 * A receiver that verifies a subscription's deliveries with the Standard Webhooks library (npm
 * {@code standardwebhooks}), for the show-once dialog: one shell snippet that installs the library,
 * writes {@code receiver.js} and runs it with the secret on display. It answers 204 to a delivery
 * signed by the subscription and 401 to anything else, and prints each event once (the
 * {@code webhook-id} is the same on every attempt, so a retry is recognised).
 */
public final class ReceiverExample {
    private ReceiverExample() {}

    /** The port the receiver listens on: the webhook URL's (its listener is what the URL names), else 8080. */
    static int port(String url) {
        try {
            int p = url == null ? -1 : java.net.URI.create(url).getPort();
            return p > 0 ? p : 8080;
        } catch (IllegalArgumentException e) {
            return 8080;
        }
    }

    static String node(String signingSecret, String url) {
        String secret = signingSecret == null ? "whsec_…" : signingSecret;
        return """
                # Receives %s and checks each delivery with the Standard Webhooks library.
                npm install standardwebhooks
                cat > receiver.js <<'JS'
                const http = require('http');
                const { Webhook } = require('standardwebhooks');
                const wh = new Webhook(process.env.AIROTECH_SIGNING_SECRET);
                const seen = new Set(); // webhook-id is the same on every attempt of a delivery
                http.createServer((req, res) => {
                  let body = '';
                  req.on('data', (c) => { body += c; });
                  req.on('end', () => {
                    let event;
                    try {
                      event = wh.verify(body, req.headers); // throws unless this subscription signed it
                    } catch (e) {
                      res.writeHead(401).end();
                      return;
                    }
                    if (!seen.has(req.headers['webhook-id'])) {
                      seen.add(req.headers['webhook-id']);
                      console.log(event.event_type, event.event_id, JSON.stringify(event.data));
                    }
                    res.writeHead(204).end();
                  });
                }).listen(Number(process.env.PORT || 8080));
                JS
                AIROTECH_SIGNING_SECRET='%s' PORT=%d node receiver.js
                """.formatted(url == null ? "this subscription" : url, secret, port(url));
    }
}
