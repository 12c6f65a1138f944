package com.airotech.connect.gateway;

import com.airotech.connect.common.ApiException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.XnioExecutor;

/**
 * What a single sender may cost: header bytes ({@code 431} beyond the limit), open connections per
 * source address ({@code 429} beyond), and the time to deliver a body (the connection is dropped
 * when a sender trickles it). Undertow's own parse and idle timeouts bound the headers and idle
 * connections.
 */
final class RequestLimits implements HttpHandler {
    private static final AttachmentKey<Boolean> COUNTED = AttachmentKey.create(Boolean.class);

    private final HttpHandler next;
    private final Gateway.Limits limits;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    RequestLimits(HttpHandler next, Gateway.Limits limits) {
        this.next = next;
        this.limits = limits;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (!admitConnection(ex)) {
            ex.setPersistent(false);
            Http.error(ex, new ApiException(ApiException.Kind.RATE_LIMITED, "rate_limited",
                    "Too many open connections from this address (" + limits.maxConnectionsPerAddress() + "); reuse connections or close idle ones.", 1));
            return;
        }
        if (headerBytes(ex) > limits.maxHeaderBytes()) {
            ex.setPersistent(false);
            Http.error(ex, new ApiException(ApiException.Kind.HEADERS_TOO_LARGE, "headers_too_large",
                    "The request headers exceed " + limits.maxHeaderBytes() + " bytes; send fewer or shorter headers."));
            return;
        }
        if (!ex.isRequestComplete()) {
            // a body that takes longer than the limit is a slow sender holding a connection: drop it
            XnioExecutor.Key deadline = ex.getIoThread().executeAfter(() -> {
                if (!ex.isRequestComplete()) org.xnio.IoUtils.safeClose(ex.getConnection());
            }, limits.bodyTimeoutMillis(), TimeUnit.MILLISECONDS);
            ex.addExchangeCompleteListener((exchange, nextListener) -> {
                deadline.remove();
                nextListener.proceed();
            });
        }
        next.handleRequest(ex);
    }

    /** Counts a connection once, on its first request; false when its address has too many open. */
    private boolean admitConnection(HttpServerExchange ex) {
        ServerConnection c = ex.getConnection();
        if (c.getAttachment(COUNTED) != null) return true;
        InetSocketAddress a = ex.getSourceAddress();
        String address = a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
        AtomicInteger open = perAddress.computeIfAbsent(address, k -> new AtomicInteger());
        if (open.incrementAndGet() > limits.maxConnectionsPerAddress()) {
            release(address, open);
            return false;
        }
        c.putAttachment(COUNTED, Boolean.TRUE);
        c.addCloseListener(closed -> release(address, open));
        return true;
    }

    private void release(String address, AtomicInteger open) {
        if (open.decrementAndGet() <= 0) perAddress.remove(address, open);
    }

    private static long headerBytes(HttpServerExchange ex) {
        long n = ex.getRequestURI().length() + (ex.getQueryString() == null ? 0 : ex.getQueryString().length());
        for (HeaderValues v : ex.getRequestHeaders()) {
            for (String s : v) n += v.getHeaderName().length() + s.length() + 4;
        }
        return n;
    }

    int openConnections(String address) {
        AtomicInteger a = perAddress.get(address);
        return a == null ? 0 : a.get();
    }
}
