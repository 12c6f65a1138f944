package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Secret;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP clients per connection: the server's CA trusted per connection ({@code ca_pem}, else the
 * JDK's trust store), a client certificate for mtls, hostname verification always on, no proxy
 * (a proxy would bypass the address policy), redirects never followed by the client itself.
 */
final class Tls {
    private static final HttpClient PLAIN = builder().build();

    private Tls() {}

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
    }

    static HttpClient client(String caPem, KeyManager[] keys) {
        if (caPem == null && keys == null) return PLAIN;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, caPem == null ? null : trust(caPem), null);
            SSLParameters params = ctx.getDefaultSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            return builder().sslContext(ctx).sslParameters(params).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is unavailable", e);
        }
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
