package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.wire.ConnectorAnswers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

/** {@code /api/connectors…}: register, list, get, rotate, revoke. */
final class ConnectorsResource {
    private final ConnectorService connectors;

    ConnectorsResource(ConnectorService connectors) { this.connectors = connectors; }

    Reply register(HttpServerExchange ex, Principal p, ObjectNode body) {
        Registration r = connectors.register(p, RegistrationRequest.fromJson(body));
        return Reply.created(ConnectorAnswers.registered(r));
    }

    Reply list(HttpServerExchange ex, Principal p, ObjectNode body) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Connector c : connectors.list(p)) arr.add(ConnectorService.toJson(c));
        return Reply.ok(Json.object().set("connectors", arr));
    }

    Reply get(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectorService.toJson(connectors.get(p, id(ex))));
    }

    Reply revoke(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectorService.toJson(connectors.revoke(p, id(ex))));
    }

    Reply rotate(HttpServerExchange ex, Principal p, ObjectNode body) {
        Integer grace = null;
        CredentialOptions options = CredentialOptions.NONE;
        if (body != null) {
            JsonNode g = body.get("grace_seconds");
            if (g != null && !g.isNull()) {
                if (!g.isIntegralNumber() || !g.canConvertToInt()) throw ApiException.invalidRequest("Field 'grace_seconds' must be an integer.");
                grace = g.asInt();
            }
            options = CredentialOptions.fromJson(body);
        }
        ConnectorService.Rotation r = connectors.rotate(p, id(ex), grace, options);
        return Reply.ok(ConnectorAnswers.rotated(r));
    }

    private static String id(HttpServerExchange ex) {
        return ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
    }
}
