package com.airotech.connect.testing;

import com.airotech.connect.auth.InboundRequest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Headers without a server, for verifier unit tests. */
public final class FakeRequest implements InboundRequest {
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    public static FakeRequest of(List<String> pairs) {
        FakeRequest r = new FakeRequest();
        for (int i = 0; i < pairs.size(); i += 2) r.add(pairs.get(i), pairs.get(i + 1));
        return r;
    }

    public FakeRequest add(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    public FakeRequest remove(String name) {
        headers.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    public FakeRequest replace(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value)));
        return this;
    }

    @Override public List<String> headers(String name) { return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()); }
    @Override public boolean secure() { return false; }
    @Override public X509Certificate[] peerCertificates() { return new X509Certificate[0]; }
    @Override public String sourceAddress() { return "127.0.0.1"; }
}
