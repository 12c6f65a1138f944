package com.airotech.connect.gateway;

import com.airotech.connect.wire.ConnectionJson;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.LogSafe;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.ProbeFailed;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.store.StorageException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /oauth2/callback?code=&state=}: where a vendor sends the browser after consent. The
 * state alone names the connection (it is random, bound to one connection, used once); an unknown
 * or reused state is {@code 400 invalid_request} and exchanges nothing.
 */
final class OAuth2CallbackHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(OAuth2CallbackHandler.class);

    private final ConnectionService connections;

    OAuth2CallbackHandler(ConnectionService connections) { this.connections = connections; }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        try {
            ConnectionService.Consent c = connections.completeConsent(param(ex, "code"), param(ex, "state"), param(ex, "error"));
            Http.json(ex, 200, Json.object().put("connection_id", c.connectionId()).put("status", c.result().status().wire())
                    .put("detail", ConnectionJson.detail(c.connectionId(), c.result().detail())).put("message", "Consent completed; you can close this window."));
        } catch (ApiException e) {
            Http.error(ex, e);
        } catch (ConnectionFailure f) {
            Http.error(ex, ConnectionJson.error(f));
        } catch (ProbeFailed f) {
            Http.error(ex, ConnectionJson.error(f));
        } catch (SecretStoreException | StorageException e) {
            log.error("oauth2 callback could not store the consent: {}", e.getMessage());
            Http.error(ex, ApiException.unavailable("The consent could not be stored; start it again shortly."));
        } catch (RuntimeException e) {
            log.error("unexpected failure in the oauth2 callback", LogSafe.withoutMessages(e));
            Http.error(ex, new ApiException(ApiException.Kind.INTERNAL, "internal_error", "The gateway failed unexpectedly; nothing was changed. The operator log has the details."));
        }
    }

    private static String param(HttpServerExchange ex, String name) {
        Deque<String> v = ex.getQueryParameters().get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw ApiException.invalidRequest("Query parameter '" + name + "' is given more than once.");
        return v.getFirst();
    }
}
