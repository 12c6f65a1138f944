package com.airotech.connect.wire;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.OutboundSettings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tenant's outbound settings (API.md §6), the same from {@code GET /api/outbound-policy} and from
 * {@code airotech-connect connections policy|store}.
 */
public final class OutboundSettingsJson {
    private OutboundSettingsJson() {}

    public static ObjectNode of(OutboundSettings s) {
        ObjectNode o = Json.object().put("tenant_id", s.tenantId()).put("secret_backend", s.secretBackend());
        if (s.awsRegion() != null) o.put("aws_region", s.awsRegion());
        ArrayNode rules = o.putArray("allowed_targets");
        s.policy().rules().forEach(rules::add);
        return o;
    }
}
