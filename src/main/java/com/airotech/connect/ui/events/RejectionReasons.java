package com.airotech.connect.ui.events;

import java.util.Map;

/** What each rejection code means for the sender, and what to do about it. */
public final class RejectionReasons {
    private static final Map<String, String> MEANING = Map.ofEntries(
            Map.entry("unauthorized", "No valid credential for this connector, or the connector was revoked: check the sender's credential and webhook path."),
            Map.entry("auth_method_mismatch", "The sender uses another authentication method than the connector declares: align the sender with the connector's method."),
            Map.entry("signature_invalid", "The signature does not match: the sender signs with a wrong or old secret, or changes the body after signing."),
            Map.entry("timestamp_out_of_range", "The signed timestamp is more than 5 minutes off: fix the sender's clock (NTP)."),
            Map.entry("credential_expired", "The sender still uses a rotated credential whose grace has ended: give it the current credential."),
            Map.entry("replayed", "A webhook-id was sent twice: the sender must use a new id per message (a retry of an accepted message is harmless)."),
            Map.entry("invalid_json", "The body is not JSON: check the sender's payload."),
            Map.entry("invalid_request", "A field of the envelope is wrong: check event_id and occurred_at."),
            Map.entry("invalid_event_type", "The event type is malformed or not in the connector's allowed types."),
            Map.entry("payload_too_large", "The body exceeds the gateway's size limit: send smaller events."),
            Map.entry("unsupported_media_type", "The request is not sent as application/json."),
            Map.entry("rate_limited", "An address kept failing to authenticate this minute: its further failures wait for Retry-After (valid requests still pass)."),
            Map.entry("unavailable", "The gateway could not store the event (shutting down or storage trouble): the sender retries; check the disk."));

    private RejectionReasons() {}

    static String explain(String code) {
        return MEANING.getOrDefault(code, "The gateway refused the request with code " + code + ".");
    }
}
