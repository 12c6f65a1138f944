package com.airotech.connect.ui;

import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.pki.Pem;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** What a site gateway does with what the console handed over: HTTPS clients from a PKCS#12 bundle, CSRs. */
public final class TlsClients {
    private TlsClients() {}

    /** An HTTPS client presenting the bundle's certificate and trusting only {@code ca}. */
    public static HttpClient fromBundle(Path p12, String password, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        return client(kmf, ca);
    }

    /** An HTTPS client presenting {@code cert} with {@code key} (a signed CSR). */
    public static HttpClient fromKey(KeyPair key, X509Certificate cert, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test-only".toCharArray();
        ks.setKeyEntry("client", key.getPrivate(), pw, new java.security.cert.Certificate[] {cert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return client(kmf, ca);
    }

    private static HttpClient client(KeyManagerFactory kmf, X509Certificate ca) throws Exception {
        return com.airotech.connect.testing.SixMethods.httpsClient(kmf, ca);
    }

    /** A CSR as a site gateway makes one: its own key pair, the CSR in PEM. */
    public static String csr(KeyPair kp, String cn) throws Exception {
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + cn), kp.getPublic())
                .build(new JcaContentSignerBuilder(kp.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA").build(kp.getPrivate()));
        return Pem.write(csr);
    }

    public static X509Certificate certificate(String pem) { return LocalCa.parseCertificate(pem); }
}
