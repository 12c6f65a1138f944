package com.airotech.connect.gateway;

import com.airotech.connect.wire.ConnectionJson;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.connection.OutboundRequest;
import com.airotech.connect.connection.OutboundResponse;
import com.airotech.connect.connection.ProbeFailed;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.TenantService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/connections…} (API.md §6) and the OAuth2 callback; the work is {@link ConnectionService}'s. */
final class ConnectionsResource {
    private final ConnectionService connections;

    ConnectionsResource(ConnectionService connections) { this.connections = connections; }

    /** The routes, for {@link Gateway.Services#extraRoutes()}. */
    static List<Gateway.Route> routes(TenantService tenants, ConnectionService service, long maxBody) {
        ConnectionsResource r = new ConnectionsResource(service);
        List<Gateway.Route> out = new ArrayList<>();
        out.add(new Gateway.Route("POST", "/api/connections", new AdminEndpoint(tenants, true, maxBody, r.guard(r::create))));
        out.add(new Gateway.Route("GET", "/api/connections", new AdminEndpoint(tenants, false, maxBody, r.guard(r::list))));
        out.add(new Gateway.Route("GET", "/api/connections/{id}", new AdminEndpoint(tenants, false, maxBody, r.guard(r::get))));
        out.add(new Gateway.Route("DELETE", "/api/connections/{id}", new AdminEndpoint(tenants, false, maxBody, r.guard(r::delete))));
        out.add(new Gateway.Route("POST", "/api/connections/{id}/credential", new AdminEndpoint(tenants, true, maxBody, r.guard(r::credential))));
        out.add(new Gateway.Route("POST", "/api/connections/{id}/probe", new AdminEndpoint(tenants, false, maxBody, r.guard(r::probe))));
        // each GET mints a consent state: a HEAD (a link checker, a preview) must not, so HEAD is not answered here
        out.add(new Gateway.Route("GET", "/api/connections/{id}/authorize", new AdminEndpoint(tenants, false, maxBody, r.guard(r::authorize)), false));
        out.add(new Gateway.Route("POST", "/api/connections/{id}/call", new AdminEndpoint(tenants, true, maxBody, r.guard(r::call))));
        out.add(new Gateway.Route("GET", "/api/outbound-policy", new AdminEndpoint(tenants, false, maxBody, r.guard(r::policy))));
        // the callback spends its state: a HEAD (a link checker, a preview) must not
        out.add(new Gateway.Route("GET", "/oauth2/callback", new OAuth2CallbackHandler(service), false));
        return out;
    }

    /** Maps the connection runtime's failures to the wire errors of the contract. */
    private AdminEndpoint.Action guard(AdminEndpoint.Action a) {
        return (ex, p, body) -> {
            try {
                return a.handle(ex, p, body);
            } catch (ConnectionFailure f) {
                throw ConnectionJson.error(f);
            } catch (ProbeFailed f) {
                throw ConnectionJson.error(f);
            } catch (SecretStoreException e) {
                throw ApiException.unavailable(e.getMessage());
            }
        };
    }

    Reply create(HttpServerExchange ex, Principal p, ObjectNode body) {
        ConnectionService.Created c = connections.create(p, NewConnection.fromJson(body));
        return Reply.created(ConnectionJson.connection(c.connection()));
    }

    Reply list(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(Json.object().set("connections", ConnectionJson.connections(connections.list(p))));
    }

    Reply get(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectionJson.connection(connections.get(p, id(ex))));
    }

    Reply delete(HttpServerExchange ex, Principal p, ObjectNode body) {
        connections.delete(p, id(ex));
        return Reply.ok(Json.object().put("connection_id", id(ex)).put("deleted", true));
    }

    Reply credential(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectionJson.result(id(ex), connections.putCredential(p, id(ex), body)));
    }

    Reply probe(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectionJson.probe(id(ex), connections.probe(p, id(ex))));
    }

    Reply authorize(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(Json.object().put("authorize_url", connections.authorizeUrl(p, id(ex))));
    }

    /** Sends one request over the connection (the runtime's client, for scripts and checks). */
    Reply call(HttpServerExchange ex, Principal p, ObjectNode body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonNode h = body.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) throw ApiException.invalidRequest("Field 'headers' must be an object of header names to strings.");
            h.fields().forEachRemaining(e -> headers.put(e.getKey(), List.of(e.getValue().asText())));
        }
        JsonNode b = body.get("body");
        byte[] bytes = b == null || b.isNull() ? null : (b.isTextual() ? b.asText() : Json.write(b)).getBytes(StandardCharsets.UTF_8);
        OutboundRequest req = new OutboundRequest(body.path("method").asText("GET"), body.path("path").asText(null), headers, bytes);
        OutboundResponse r = connections.send(p, id(ex), req);
        ObjectNode out = Json.object().put("status", r.status());
        r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type")).findFirst()
                .ifPresent(e -> out.put("content_type", e.getValue().get(0)));
        out.put("body", new String(r.body(), StandardCharsets.UTF_8));
        return Reply.ok(out);
    }

    Reply policy(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(ConnectionJson.settings(connections.settings(p.tenantId())));
    }

    private static String id(HttpServerExchange ex) {
        return ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
    }
}
