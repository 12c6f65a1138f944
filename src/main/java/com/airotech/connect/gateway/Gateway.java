package com.airotech.connect.gateway;

import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.tenant.TenantService;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/** The embedded Undertow gateway: routes, limits, listeners, graceful stop. */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** Listener settings. {@code httpsPort} -1 = no HTTPS listener. */
    public record Settings(String bind, int httpPort, int httpsPort, long maxBodyBytes, SSLContext tls, Limits limits) {
        public Settings(String bind, int httpPort, int httpsPort, long maxBodyBytes, SSLContext tls) {
            this(bind, httpPort, httpsPort, maxBodyBytes, tls, Limits.DEFAULTS);
        }
    }

    /**
     * What one sender may cost the gateway: header bytes (beyond: {@code 431}), time to send the
     * headers and the body (beyond: the connection is dropped), idle time on a kept-alive connection,
     * and open connections per source address (beyond: {@code 429}).
     */
    public record Limits(int maxHeaderBytes, int headerTimeoutMillis, int bodyTimeoutMillis, int idleTimeoutMillis, int maxConnectionsPerAddress) {
        public static final Limits DEFAULTS = new Limits(32 * 1024, 10_000, 30_000, 60_000, 512);

        public Limits {
            if (maxHeaderBytes < 1024 || headerTimeoutMillis < 100 || bodyTimeoutMillis < 100 || idleTimeoutMillis < 100 || maxConnectionsPerAddress < 1) {
                throw new IllegalArgumentException("gateway limits out of range");
            }
        }
    }

    /** The services the gateway serves; extra routes are added by later features. */
    public record Services(TenantService tenants, ConnectorService connectors, IngestService ingest, AuditLog audit, List<Route> extraRoutes) {}

    /**
     * A route contributed by another feature (token endpoint, JWKS, CA download, status). A GET
     * that is not {@code safe} (it acts when read) is not answered for HEAD.
     */
    public record Route(String method, String template, HttpHandler handler, boolean safe) {
        public Route(String method, String template, HttpHandler handler) {
            this(method, template, handler, true);
        }
    }

    private final Undertow server;
    private final ShutdownGate gate;
    private int httpPort = -1;
    private int httpsPort = -1;
    /** The listeners asked for, e.g. "127.0.0.1 port 8470 (HTTP)", for the message when one is taken. */
    private final String wanted;
    private final String bindHost;
    private final int wantedHttp;
    private final int wantedHttps;

    public Gateway(Settings s, Services svc) {
        long max = s.maxBodyBytes();
        ConnectorsResource connectors = new ConnectorsResource(svc.connectors());
        ReadingResource reading = new ReadingResource(svc.audit(), svc.ingest());
        TenantService t = svc.tenants();
        Routes routes = new Routes()
                .add("POST", "/api/events/ingest/{tenant}/{connector}", new IngestHandler(svc.ingest(), max))
                .add("POST", "/api/connectors/register", new AdminEndpoint(t, true, max, connectors::register))
                .add("GET", "/api/connectors", new AdminEndpoint(t, false, max, connectors::list))
                .add("GET", "/api/connectors/{id}", new AdminEndpoint(t, false, max, connectors::get))
                .add("DELETE", "/api/connectors/{id}", new AdminEndpoint(t, false, max, connectors::revoke))
                .add("POST", "/api/connectors/{id}/rotate", new AdminEndpoint(t, false, max, (ex, p, b) -> connectors.rotate(ex, p, optionalBody(ex, max))))
                .add("GET", "/api/audit", new AdminEndpoint(t, false, max, reading::audit))
                .add("GET", "/api/events", new AdminEndpoint(t, false, max, reading::events));
        for (Route r : svc.extraRoutes()) routes.add(r.method(), r.template(), r.handler(), r.safe());
        this.gate = new ShutdownGate(new RequestLimits(routes.handler(), s.limits()));

        Undertow.Builder b = Undertow.builder()
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Http.hardCap(max)) // hard cap; the limit itself is checked per endpoint
                // Undertow's own header cap (400 and close) sits well above ours (431 with a JSON answer)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, Math.max(1024 * 1024, 4 * s.limits().maxHeaderBytes()))
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, s.limits().headerTimeoutMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, s.limits().idleTimeoutMillis())
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setHandler(gate);
        if (s.httpPort() >= 0) b.addHttpListener(s.httpPort(), s.bind());
        if (s.httpsPort() >= 0 && s.tls() != null) {
            b.addListener(new Undertow.ListenerBuilder()
                    .setType(Undertow.ListenerType.HTTPS)
                    .setHost(s.bind())
                    .setPort(s.httpsPort())
                    .setSslContext(s.tls())
                    .setOverrideSocketOptions(org.xnio.OptionMap.create(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUESTED)));
        }
        this.server = b.build();
        this.bindHost = s.bind();
        this.wantedHttp = s.httpPort();
        this.wantedHttps = s.httpsPort() >= 0 && s.tls() != null ? s.httpsPort() : -1;
        this.wanted = s.bind() + " port " + (s.httpPort() >= 0 ? s.httpPort() + " (HTTP)" : "")
                + (s.httpPort() >= 0 && s.httpsPort() >= 0 && s.tls() != null ? " or " : "")
                + (s.httpsPort() >= 0 && s.tls() != null ? s.httpsPort() + " (HTTPS)" : "");
    }

    /** Reads a JSON body if one was sent (rotation takes an optional body). */
    static com.fasterxml.jackson.databind.node.ObjectNode optionalBody(io.undertow.server.HttpServerExchange ex, long max) throws java.io.IOException {
        if (ex.getRequestContentLength() == 0 || (ex.getRequestContentLength() < 0 && !ex.getRequestHeaders().contains(io.undertow.util.Headers.TRANSFER_ENCODING))) return null;
        Http.requireJson(ex);
        Http.checkDeclaredLength(ex, max);
        ex.startBlocking();
        byte[] b = ex.getInputStream().readNBytes((int) max + 1);
        if (b.length > max) throw Http.tooLarge(max);
        if (b.length == 0) return null;
        return com.airotech.connect.common.Json.parseObject(b);
    }

    /** After a failed bind: which of the fixed ports is taken, e.g. "127.0.0.1 port 8470 (HTTP)"; null when neither can be told. */
    private String busyPort() {
        for (int i = 0; i < 2; i++) {
            int port = i == 0 ? wantedHttp : wantedHttps;
            if (port <= 0) continue;
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new InetSocketAddress(bindHost, port));
            } catch (java.io.IOException taken) {
                return bindHost + " port " + port + (i == 0 ? " (HTTP)" : " (HTTPS)");
            }
        }
        return null;
    }

    public void start() {
        try {
            server.start();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root instanceof java.net.BindException) {
                String busy = busyPort();
                throw new IllegalStateException((busy != null ? busy : wanted) + " is already in use (" + root.getMessage() + "): another AIROTECH Connect"
                        + " (the console, or the airotech-connect service) or another program holds it. Stop it (close the console, or"
                        + " sudo systemctl stop airotech-connect), or choose other ports with --http-port / --https-port (0 picks a free one).");
            }
            throw e;
        }
        for (Undertow.ListenerInfo li : server.getListenerInfo()) {
            int port = ((InetSocketAddress) li.getAddress()).getPort();
            if (li.getProtcol().equals("https")) httpsPort = port; else httpPort = port;
        }
        log.info("gateway listening: http {} https {}", httpPort, httpsPort);
    }

    public int httpPort() { return httpPort; }

    public int httpsPort() { return httpsPort; }

    public long inFlight() { return gate.inFlight(); }

    /** Refuses new requests, lets those in flight finish (up to 10 s), then stops the listeners. */
    @Override
    public void close() {
        try {
            if (!gate.closeAndAwait(10, TimeUnit.SECONDS)) log.warn("{} requests still in flight at shutdown", gate.inFlight());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
    }
}
