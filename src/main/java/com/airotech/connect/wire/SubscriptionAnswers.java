package com.airotech.connect.wire;

import com.airotech.connect.common.Times;
import com.airotech.connect.delivery.SubscriptionService;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answers to creating a subscription and rotating its signing secret (API.md §7), the same from
 * {@code POST /api/subscriptions…} and from {@code airotech-connect subscriptions create|rotate-secret}:
 * the secret is shown this once.
 */
public final class SubscriptionAnswers {
    private SubscriptionAnswers() {}

    public static ObjectNode created(SubscriptionService.Created c) {
        ObjectNode o = SubscriptionService.toJson(c.subscription(), null);
        if (c.signingSecret() != null) {
            o.put("signing_secret", c.signingSecret().utf8());
            o.put("signing_secret_sha256", c.signingSecretSha256());
        }
        return o;
    }

    public static ObjectNode rotated(SubscriptionService.Rotated r) {
        ObjectNode o = SubscriptionService.toJson(r.subscription(), null);
        o.put("signing_secret", r.signingSecret().utf8());
        o.put("signing_secret_sha256", r.signingSecretSha256());
        o.put("previous_valid_until", Times.format(r.previousValidUntil()));
        return o;
    }
}
