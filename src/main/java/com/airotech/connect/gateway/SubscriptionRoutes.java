package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.delivery.NewSubscription;
import com.airotech.connect.delivery.Subscription;
import com.airotech.connect.delivery.SubscriptionPatch;
import com.airotech.connect.delivery.SubscriptionService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.wire.SubscriptionAnswers;
import com.airotech.connect.tenant.TenantService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/subscriptions…} and {@code /api/deliveries/{id}…} (API.md §7); the work is
 * {@link SubscriptionService}'s. Signing secrets appear in exactly two answers, once each: the
 * creation of a subscription with a connector target, and a rotation.
 */
public final class SubscriptionRoutes {
    private final SubscriptionService subscriptions;

    private SubscriptionRoutes(SubscriptionService subscriptions) { this.subscriptions = subscriptions; }

    public static List<Gateway.Route> of(TenantService tenants, SubscriptionService service, long maxBody) {
        SubscriptionRoutes r = new SubscriptionRoutes(service);
        List<Gateway.Route> out = new ArrayList<>();
        out.add(new Gateway.Route("POST", "/api/subscriptions", new AdminEndpoint(tenants, true, maxBody, r::create)));
        out.add(new Gateway.Route("GET", "/api/subscriptions", new AdminEndpoint(tenants, false, maxBody, r::list)));
        out.add(new Gateway.Route("GET", "/api/subscriptions/{id}", new AdminEndpoint(tenants, false, maxBody, r::get)));
        out.add(new Gateway.Route("PATCH", "/api/subscriptions/{id}", new AdminEndpoint(tenants, true, maxBody, r::patch)));
        out.add(new Gateway.Route("DELETE", "/api/subscriptions/{id}", new AdminEndpoint(tenants, false, maxBody, r::delete)));
        out.add(new Gateway.Route("POST", "/api/subscriptions/{id}/rotate-secret", new AdminEndpoint(tenants, false, maxBody,
                (ex, p, b) -> r.rotate(ex, p, optionalBody(ex, maxBody)))));
        out.add(new Gateway.Route("GET", "/api/subscriptions/{id}/deliveries", new AdminEndpoint(tenants, false, maxBody, r::deliveries)));
        out.add(new Gateway.Route("POST", "/api/subscriptions/{id}/recover", new AdminEndpoint(tenants, true, maxBody, r::recover)));
        out.add(new Gateway.Route("GET", "/api/deliveries/{id}", new AdminEndpoint(tenants, false, maxBody, r::delivery)));
        out.add(new Gateway.Route("POST", "/api/deliveries/{id}/retry", new AdminEndpoint(tenants, false, maxBody, r::retry)));
        return out;
    }

    Reply create(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.created(SubscriptionAnswers.created(subscriptions.create(p, NewSubscription.fromJson(body))));
    }

    Reply list(HttpServerExchange ex, Principal p, ObjectNode body) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Subscription s : subscriptions.list(p)) arr.add(SubscriptionService.toJson(s, subscriptions.stats(s)));
        return Reply.ok(Json.object().set("subscriptions", arr));
    }

    Reply get(HttpServerExchange ex, Principal p, ObjectNode body) {
        Subscription s = subscriptions.get(p, id(ex));
        return Reply.ok(SubscriptionService.toJson(s, subscriptions.stats(s)));
    }

    Reply patch(HttpServerExchange ex, Principal p, ObjectNode body) {
        Subscription s = subscriptions.update(p, id(ex), SubscriptionPatch.fromJson(body));
        return Reply.ok(SubscriptionService.toJson(s, subscriptions.stats(s)));
    }

    Reply delete(HttpServerExchange ex, Principal p, ObjectNode body) {
        subscriptions.delete(p, id(ex));
        return Reply.ok(Json.object().put("subscription_id", id(ex)).put("deleted", true));
    }

    Reply rotate(HttpServerExchange ex, Principal p, ObjectNode body) {
        Integer grace = null;
        if (body != null) {
            JsonNode g = body.get("grace_seconds");
            if (g != null && !g.isNull()) {
                if (!g.canConvertToInt() || !g.isIntegralNumber()) throw ApiException.invalidRequest("Field 'grace_seconds' must be a whole number of seconds.");
                grace = g.asInt();
            }
        }
        return Reply.ok(SubscriptionAnswers.rotated(subscriptions.rotateSecret(p, id(ex), grace)));
    }

    Reply deliveries(HttpServerExchange ex, Principal p, ObjectNode body) {
        String limit = Http.query(ex, "limit");
        Integer n = null;
        if (limit != null) n = Http.intQuery(ex, "limit", 100);
        return Reply.ok(SubscriptionService.toJson(subscriptions.deliveries(p, id(ex), Http.query(ex, "status"), Http.query(ex, "cursor"), n)));
    }

    Reply recover(HttpServerExchange ex, Principal p, ObjectNode body) {
        JsonNode since = body.get("since");
        if (since == null || !since.isTextual()) throw ApiException.invalidRequest("Field 'since' is required: an ISO-8601 time such as 2026-11-22T10:00:00Z.");
        int queued = subscriptions.recover(p, id(ex), Times.parse(since.asText(), "since"));
        return new Reply(202, Json.object().put("subscription_id", id(ex)).put("queued", queued));
    }

    Reply delivery(HttpServerExchange ex, Principal p, ObjectNode body) {
        return Reply.ok(SubscriptionService.toJson(subscriptions.delivery(p, id(ex))));
    }

    Reply retry(HttpServerExchange ex, Principal p, ObjectNode body) {
        return new Reply(202, SubscriptionService.toJson(subscriptions.retry(p, id(ex))));
    }

    /** Reads a JSON body if one was sent (rotation takes an optional body). */
    private static ObjectNode optionalBody(HttpServerExchange ex, long max) throws java.io.IOException {
        if (ex.getRequestContentLength() == 0 || (ex.getRequestContentLength() < 0 && !ex.getRequestHeaders().contains(io.undertow.util.Headers.TRANSFER_ENCODING))) {
            return null;
        }
        Http.requireJson(ex);
        Http.checkDeclaredLength(ex, max);
        ex.startBlocking();
        byte[] b = ex.getInputStream().readNBytes((int) max + 1);
        if (b.length > max) throw Http.tooLarge(max);
        if (b.length == 0) return null;
        return Json.parseObject(b);
    }

    private static String id(HttpServerExchange ex) {
        return ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
    }
}
