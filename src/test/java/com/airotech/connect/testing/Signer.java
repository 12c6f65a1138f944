package com.airotech.connect.testing;

import com.airotech.connect.auth.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the headers a site gateway sends, per method. */
public final class Signer {
    private static final AtomicLong IDS = new AtomicLong();

    private Signer() {}

    public static List<String> hmac(String whsec, byte[] body) { return hmac(whsec, body, "msg_" + IDS.incrementAndGet() + "_" + System.nanoTime(), Instant.now().getEpochSecond()); }

    public static List<String> hmac(String whsec, byte[] body, String id, long ts) {
        return List.of(StandardWebhooks.ID, id, StandardWebhooks.TIMESTAMP, Long.toString(ts),
                StandardWebhooks.SIGNATURE, StandardWebhooks.sign(whsec, id, ts, body));
    }

    public static List<String> apiKey(String key) { return List.of("X-Api-Key", key); }

    public static List<String> basic(String user, String password) {
        return List.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] event(String type, String eventId) {
        String id = eventId == null ? "" : "\"event_id\":\"" + eventId + "\",";
        return ("{\"event_type\":\"" + type + "\"," + id + "\"occurred_at\":\"2026-11-22T10:00:00Z\",\"data\":{\"value\":21.5}}").getBytes(StandardCharsets.UTF_8);
    }
}
