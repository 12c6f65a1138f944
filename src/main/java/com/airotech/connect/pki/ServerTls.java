package com.airotech.connect.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context of the HTTPS listener: a fresh server key and certificate from the local CA on
 * every start (the CA, not the server key, is what senders trust), and a trust manager that
 * accepts client certificates from that CA only. Client certificates are requested, not
 * required, so a request without one still completes its handshake; whether a connector needed
 * one is decided per request by its verifier.
 */
public final class ServerTls {
    private ServerTls() {}

    public static SSLContext context(LocalCa ca, List<String> extraNames) {
        try {
            KeyPair kp = LocalCa.newKeyPair();
            X509Certificate server = ca.issueServer(kp.getPublic(), extraNames);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("server", kp.getPrivate(), pw, new Certificate[] {server, ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new OwnCaTrustManager(ca)}, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up the HTTPS listener's TLS context", e);
        }
    }

    /** Trusts client certificates signed by the local CA and valid by the platform's clock; never a server. */
    static final class OwnCaTrustManager extends X509ExtendedTrustManager {
        private final LocalCa ca;

        OwnCaTrustManager(LocalCa ca) { this.ca = ca; }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("no client certificate");
            X509Certificate leaf = chain[0];
            if (!ca.signedByUs(leaf)) throw new CertificateException("client certificate not issued by this gateway's CA");
            if (!ca.validNow(leaf)) throw new CertificateException("client certificate expired or not yet valid");
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException { checkClientTrusted(chain, authType); }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException { checkClientTrusted(chain, authType); }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager checks clients only");
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException { checkServerTrusted(chain, authType); }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException { checkServerTrusted(chain, authType); }

        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[] {ca.certificate()}; }
    }
}
