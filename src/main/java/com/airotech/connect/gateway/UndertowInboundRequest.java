package com.airotech.connect.gateway;

import com.airotech.connect.auth.InboundRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.HeaderValues;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Undertow's view of a request, as inbound verification sees it. */
final class UndertowInboundRequest implements InboundRequest {
    private static final X509Certificate[] NONE = new X509Certificate[0];
    private final HttpServerExchange ex;

    UndertowInboundRequest(HttpServerExchange ex) { this.ex = ex; }

    @Override
    public List<String> headers(String name) {
        HeaderValues v = ex.getRequestHeaders().get(name);
        return v == null ? List.of() : v;
    }

    @Override public boolean secure() { return ex.getConnection().getSslSessionInfo() != null; }

    @Override
    public X509Certificate[] peerCertificates() {
        SSLSessionInfo ssl = ex.getConnection().getSslSessionInfo();
        if (ssl == null) return NONE;
        try {
            Certificate[] certs = ssl.getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) if (c instanceof X509Certificate x) out.add(x);
            return out.toArray(NONE);
        } catch (Exception e) {
            return NONE; // no client certificate (or renegotiation refused): there is none to show
        }
    }

    @Override
    public String sourceAddress() {
        InetSocketAddress a = ex.getSourceAddress();
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
    }
}
