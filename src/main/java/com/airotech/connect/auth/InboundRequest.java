package com.airotech.connect.auth;

import java.security.cert.X509Certificate;
import java.util.List;

/** What inbound verification may look at before the body: headers and the transport. */
public interface InboundRequest {
    /** Every value of a header (case-insensitive name), in order; empty when absent. */
    List<String> headers(String name);

    default String header(String name) {
        List<String> v = headers(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** True when the request came over the HTTPS listener. */
    boolean secure();

    /** The client certificate chain presented on TLS, or an empty array. */
    X509Certificate[] peerCertificates();

    /** The sender's address, for throttling unknown senders. */
    String sourceAddress();
}
