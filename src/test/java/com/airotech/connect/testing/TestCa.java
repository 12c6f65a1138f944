package com.airotech.connect.testing;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (nothing committed): a root, server certificates with
 * chosen names, and client certificates as PKCS#12 bundles with a random password.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();

    public final KeyPair key;
    public final X509Certificate cert;

    /** A key and its certificate chain, ready for a server or a client. */
    public record Issued(KeyPair key, X509Certificate cert, X509Certificate ca) {
        /** PKCS#12 with a fresh random password; returns {base64, password}. */
        public String[] p12() {
            try {
                String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(12));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key.getPrivate(), pw.toCharArray(), new Certificate[] {cert, ca});
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ks.store(out, pw.toCharArray());
                return new String[] {Base64.getEncoder().encodeToString(out.toByteArray()), pw};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server TLS context presenting this certificate and trusting {@code clientCa} for client certificates. */
        public SSLContext serverContext(X509Certificate clientCa) {
            try {
                char[] pw = "test-only".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", key.getPrivate(), pw, new Certificate[] {cert, ca});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                ts.setCertificateEntry("ca", clientCa);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public TestCa(String name) {
        try {
            key = rsa();
            Instant now = Instant.now();
            X500Principal subject = new X500Principal("CN=" + name);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(2))), subject, key.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.getPublic()));
            cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String pem() { return pem(cert); }

    public static String pem(X509Certificate c) {
        try {
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(c);
            }
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate for the given DNS names and IP addresses. */
    public Issued server(List<String> dnsNames, List<String> ips) {
        GeneralName[] names = new GeneralName[dnsNames.size() + ips.size()];
        int i = 0;
        for (String d : dnsNames) names[i++] = new GeneralName(GeneralName.dNSName, d);
        for (String a : ips) names[i++] = new GeneralName(GeneralName.iPAddress, a);
        return issue("CN=" + (dnsNames.isEmpty() ? ips.get(0) : dnsNames.get(0)), KeyPurposeId.id_kp_serverAuth, new GeneralNames(names));
    }

    public Issued client(String cn) { return issue("CN=" + cn, KeyPurposeId.id_kp_clientAuth, null); }

    private Issued issue(String dn, KeyPurposeId purpose, GeneralNames sans) {
        try {
            KeyPair kp = rsa();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), new X500Principal(dn), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            if (sans != null) b.addExtension(Extension.subjectAlternativeName, false, sans);
            X509Certificate c = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
            return new Issued(kp, c, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static BigInteger serial() { return new BigInteger(96, RANDOM); }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
