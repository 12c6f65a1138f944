package com.airotech.connect.wire;

import com.airotech.connect.common.Times;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.Registration;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answers to registering and rotating a connector (API.md §3), the same from {@code POST /api/connectors…}
 * and from {@code airotech-connect connectors register|rotate}: the connector with its credential shown once.
 */
public final class ConnectorAnswers {
    private ConnectorAnswers() {}

    public static ObjectNode registered(Registration r) {
        ObjectNode out = ConnectorService.toJson(r.connector());
        Reveal.once(out, r.issued());
        return out;
    }

    public static ObjectNode rotated(ConnectorService.Rotation r) {
        ObjectNode out = ConnectorService.toJson(r.connector());
        Reveal.once(out, r.issued());
        out.put("previous_valid_until", Times.format(r.previousValidUntil()));
        return out;
    }
}
