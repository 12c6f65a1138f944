package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.LogSafe;
import com.airotech.connect.common.Json;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.TenantService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An administration endpoint: runs on a worker thread, authenticates the admin token (the token
 * alone decides the tenant), reads a bounded JSON body when the action wants one, and maps
 * every failure to the JSON error of the contract. Unexpected failures are logged once here and
 * answered without internal detail.
 */
final class AdminEndpoint implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

    interface Action {
        Reply handle(HttpServerExchange ex, Principal principal, ObjectNode body) throws Exception;
    }

    private final TenantService tenants;
    private final Action action;
    private final boolean takesBody;
    private final long maxBody;

    AdminEndpoint(TenantService tenants, boolean takesBody, long maxBody, Action action) {
        this.tenants = tenants;
        this.action = action;
        this.takesBody = takesBody;
        this.maxBody = maxBody;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        try {
            Principal p = tenants.authenticate(bearer(ex));
            ObjectNode body = null;
            if (takesBody) {
                Http.requireJson(ex);
                body = Json.parseObject(readBody(ex));
            }
            Reply r = action.handle(ex, p, body);
            Http.json(ex, r.status(), r.body());
        } catch (ApiException e) {
            Http.closeAfterResponse(ex, maxBody);
            Http.error(ex, e);
        } catch (StorageException e) {
            log.error("storage failure on {} {}: {}", ex.getRequestMethod(), ex.getRequestPath(), e.getMessage());
            Http.error(ex, ApiException.unavailable("The gateway's storage is unavailable; nothing was changed. Retry shortly."));
        } catch (Exception e) {
            log.error("unexpected failure on {} {}", ex.getRequestMethod(), ex.getRequestPath(), LogSafe.withoutMessages(e));
            Http.error(ex, new ApiException(ApiException.Kind.INTERNAL, "internal_error", "The gateway failed unexpectedly; nothing was changed. The operator log has the details."));
        }
    }

    static String bearer(HttpServerExchange ex) {
        String h = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (h == null) throw ApiException.unauthorized("This endpoint needs Authorization: Bearer <admin_token>.");
        h = h.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiException.unauthorized("This endpoint needs Authorization: Bearer <admin_token>.");
        }
        return h.substring(7).trim();
    }

    private byte[] readBody(HttpServerExchange ex) throws IOException {
        Http.checkDeclaredLength(ex, maxBody);
        ex.startBlocking();
        try (InputStream in = ex.getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (b.length > maxBody) throw Http.tooLarge(maxBody);
            return b;
        } catch (IOException e) {
            if (e.getClass().getSimpleName().equals("RequestTooBigException")) throw Http.tooLarge(maxBody);
            throw e;
        }
    }
}
