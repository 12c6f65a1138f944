package com.airotech.connect.connection;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP clients per connection (Apache HttpClient 5, classic): the server's CA trusted per connection
 * ({@code ca_pem}, else the JDK's trust store), a client certificate for mtls, SNI and hostname
 * verification always on the URL's host name, names resolved and checked by the tenant's
 * {@link OutboundGuard} resolver (so the addresses connected to are exactly the checked ones), no
 * proxy ever (neither JVM properties nor environment: a proxy would connect in the guard's stead),
 * redirects, retries, cookies and decompression never done by the client itself. Connections are
 * kept alive and reused (event delivery sends thousands of requests a second to one target), but only
 * for requests made under the same address policy they were checked against when they were opened:
 * {@link OutboundHttp} leases with the policy as the connection's state, so after a policy change the
 * very next request opens (and checks) a new connection.
 */
final class Tls {
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);
    /** Kept-alive connections unused this long are closed (also those left from before a policy change). */
    private static final TimeValue IDLE = TimeValue.ofSeconds(30);

    private Tls() {}

    static CloseableHttpClient client(String caPem, KeyManager[] keys, DnsResolver dns) {
        SSLContext ctx;
        try {
            if (caPem == null && keys == null) {
                ctx = SSLContext.getDefault();
            } else {
                ctx = SSLContext.getInstance("TLS");
                ctx.init(keys, caPem == null ? null : trust(caPem), null);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is unavailable", e);
        }
        TlsSocketStrategy tls = ClientTlsStrategyBuilder.create().setSslContext(ctx)
                .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH).buildClassic();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(dns)
                .setTlsSocketStrategy(tls)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT)
                        // a kept-alive connection the server may have closed meanwhile is checked before it is used again
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                .setMaxConnPerRoute(32).setMaxConnTotal(64)
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .evictIdleConnections(IDLE)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("airotech-connect")
                .build();
    }

    /** The certificates of a PEM bundle; {@code 400} naming the field when it holds none. */
    static Collection<? extends Certificate> certificates(String pem, String field) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) throw new GeneralSecurityException("empty");
            return certs;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw ApiException.invalidRequest("Field '" + field + "' must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----).");
        }
    }

    private static TrustManager[] trust(String caPem) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certificates(caPem, "config.ca_pem")) ks.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /**
     * The key managers of a PKCS#12 client bundle. The password is used here and wiped; a bundle
     * that does not open, or holds no key with a certificate, is {@code 400} (never echoing it).
     */
    static KeyManager[] clientKeys(Secret p12Base64, Secret password) {
        char[] pw = password.utf8().toCharArray();
        try {
            byte[] p12;
            try {
                p12 = Base64.getMimeDecoder().decode(p12Base64.bytes());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("Field 'client_p12_base64' must be base64 of a PKCS#12 file.");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(new ByteArrayInputStream(p12), pw);
            } catch (java.io.IOException | GeneralSecurityException e) {
                throw ApiException.invalidRequest("The PKCS#12 bundle does not open: check 'client_p12_base64' and 'client_p12_password'.");
            } finally {
                Arrays.fill(p12, (byte) 0);
            }
            boolean hasKey = false;
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                String a = e.nextElement();
                if (ks.isKeyEntry(a) && ks.getCertificate(a) instanceof X509Certificate) hasKey = true;
            }
            if (!hasKey) throw ApiException.invalidRequest("The PKCS#12 bundle holds no private key with a certificate.");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw ApiException.invalidRequest("The PKCS#12 bundle's key cannot be used: " + e.getClass().getSimpleName() + ".");
        } finally {
            Arrays.fill(pw, '\0');
        }
    }
}
