package com.airotech.connect.pki;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's local certificate authority. Created on first start in the data directory: the
 * certificate in {@code ca.pem} (public), the private key sealed under the master key in
 * {@code ca-key.sealed} (0600). It signs the HTTPS listener's certificate and the client
 * certificates of {@code mtls} connectors, and is the only issuer the HTTPS listener trusts.
 */
public final class LocalCa {
    private static final Logger log = LoggerFactory.getLogger(LocalCa.class);
    static final String CERT_FILE = "ca.pem";
    static final String KEY_FILE = "ca-key.sealed";
    private static final String KEY_AD = "local-ca-private-key";
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /** Certificates start an hour in the past, so a sender whose clock runs a little behind accepts them. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    public static final int DEFAULT_CLIENT_DAYS = 397;
    public static final int MAX_CLIENT_DAYS = 3650;

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private LocalCa(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    /** Loads the CA from the data directory, creating it on first start. */
    public static LocalCa loadOrCreate(DataDirectory dir, Sealer sealer, Clock clock) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                // the command line and a gateway may start on a new directory at once: one of them creates the CA
                try (FileChannel ch = FileChannel.open(dir.resolve(CERT_FILE + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                        if (dir.holdsDatabase()) {
                            throw new StorageException("The local CA (" + (Files.exists(certFile) ? KEY_FILE : Files.exists(keyFile) ? CERT_FILE
                                    : CERT_FILE + " and " + KEY_FILE) + ") is missing from " + dir.root() + ", beside an existing database."
                                    + " A new CA would make every site gateway's client certificate and every sender's trust in the HTTPS"
                                    + " listener fail. Restore them: airotech-connect restore --from BACKUP --data-dir NEW_DIR restores a"
                                    + " whole site; or copy " + CERT_FILE + " and " + KEY_FILE + " back from the backup this database came from"
                                    + " (with its master.key).");
                        }
                        create(certFile, keyFile, sealer, clock);
                    }
                }
            }
            DataDirectory.requireMode(keyFile, DataDirectory.FILE_MODE, "chmod 600 " + keyFile);
            X509Certificate cert = parseCertificate(Files.readString(certFile));
            byte[] pkcs8;
            try {
                pkcs8 = sealer.open(Files.readAllBytes(keyFile), KEY_AD);
            } catch (SealedValueException e) {
                throw new StorageException("The local CA key " + keyFile + " does not open with this data directory's master key. "
                        + "Restore ca-key.sealed and master.key from the same backup.");
            }
            PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            java.util.Arrays.fill(pkcs8, (byte) 0);
            return new LocalCa(cert, key, clock);
        } catch (IOException | GeneralSecurityException e) {
            throw new StorageException("Cannot read the local CA in " + dir.root() + " (" + e.getClass().getSimpleName()
                    + "). Check the data directory's permissions, or restore ca.pem and ca-key.sealed from backup.");
        }
    }

    /** Re-seals the CA key under the master key's current key (after a master key rotation). */
    public static void resealKeyFile(DataDirectory dir, Sealer sealer) {
        Path keyFile = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(keyFile)) return;
            byte[] pkcs8 = sealer.open(Files.readAllBytes(keyFile), KEY_AD);
            DataDirectory.writeKeyFile(keyFile, sealer.seal(pkcs8, KEY_AD));
            java.util.Arrays.fill(pkcs8, (byte) 0);
        } catch (IOException e) {
            throw new StorageException("Cannot re-seal the local CA key " + keyFile + " (" + e.getClass().getSimpleName()
                    + "); every key still opens. Fix the data directory and run `airotech-connect keys rotate` again.");
        }
    }

    private static void create(Path certFile, Path keyFile, Sealer sealer, Clock clock) throws IOException, GeneralSecurityException {
        KeyPair kp = newKeyPair();
        X500Principal name = new X500Principal("CN=AIROTECH Connect local CA " + Crypto.newId("ca").substring(3, 11) + ", O=AIROTECH Connect");
        Instant now = clock.instant();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(CA_LIFETIME)), name, kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        X509Certificate cert = sign(b, kp.getPrivate());
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        DataDirectory.writeKeyFile(keyFile, sealer.seal(pkcs8, KEY_AD));
        java.util.Arrays.fill(pkcs8, (byte) 0);
        DataDirectory.writeKeyFile(certFile, Pem.write(cert).getBytes(StandardCharsets.US_ASCII));
        log.info("local certificate authority created: {}", name.getName());
    }

    public X509Certificate certificate() { return certificate; }

    public String certificatePem() { return Pem.write(certificate); }

    /** An EC P-256 key pair: fast to make, accepted by every current TLS stack. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is unavailable", e);
        }
    }

    // ------------------------------------------------------------------ issuing

    /** The HTTPS listener's certificate: localhost, 127.0.0.1, ::1, this host's name and every extra name. */
    public X509Certificate issueServer(PublicKey key, List<String> extraNames) {
        List<GeneralName> names = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        String host = hostName();
        if (host != null) all.add(host);
        all.addAll(extraNames);
        List<String> seen = new ArrayList<>();
        for (String n : all) {
            String s = n.strip();
            if (s.isEmpty() || seen.contains(s)) continue;
            seen.add(s);
            names.add(IPAddress.isValid(s) ? new GeneralName(GeneralName.iPAddress, s) : new GeneralName(GeneralName.dNSName, s));
        }
        X500Principal subject = new X500Principal("CN=" + (host == null ? "localhost" : host) + ", O=AIROTECH Connect");
        try {
            X509v3CertificateBuilder b = builder(subject, key, Duration.ofDays(DEFAULT_CLIENT_DAYS));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            return sign(b, privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue the server certificate", e);
        }
    }

    /** Validates an extra certificate name given with {@code --tls-san}. */
    public static String validSan(String name) {
        String s = name == null ? "" : name.strip();
        if (IPAddress.isValid(s)) return s;
        if (!s.matches("^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$") || s.length() > 253) {
            throw new IllegalArgumentException("--tls-san '" + s + "' is neither a host name nor an IP address.");
        }
        return s;
    }

    /** A client certificate naming the tenant and the connector, for a key the connector holds. */
    public X509Certificate issueClient(PublicKey key, String tenantId, String connectorId, int days) {
        requireClientKey(key);
        if (days < 1 || days > MAX_CLIENT_DAYS) {
            throw ApiException.invalidRequest("Field 'certificate_days' must be between 1 and " + MAX_CLIENT_DAYS + ".");
        }
        X500Principal subject = new X500Principal("CN=" + connectorId + ", OU=" + tenantId + ", O=AIROTECH Connect");
        try {
            X509v3CertificateBuilder b = builder(subject, key, Duration.ofDays(days));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return sign(b, privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a client certificate", e);
        }
    }

    /**
     * Signs a PKCS#10 request: its signature must verify (the sender holds the key); its subject is
     * replaced by the tenant and connector, so a request cannot name anything else.
     */
    public X509Certificate signRequest(String csrPem, String tenantId, String connectorId, int days) {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalidRequest("Field 'csr_pem' is not a readable PEM certificate signing request.");
        }
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw ApiException.invalidRequest("Field 'csr_pem' must hold a PEM block 'BEGIN CERTIFICATE REQUEST'.");
        }
        PublicKey key;
        try {
            key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw ApiException.invalidRequest("Field 'csr_pem': the request's signature does not verify.");
            }
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.invalidRequest("Field 'csr_pem': the request's key or signature cannot be read.");
        }
        return issueClient(key, tenantId, connectorId, days);
    }

    private static void requireClientKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) throw ApiException.invalidRequest("An RSA client key must have at least 2048 bits.");
        } else if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() < 256) throw ApiException.invalidRequest("An EC client key must be P-256 or larger.");
        } else {
            throw ApiException.invalidRequest("A client key must be RSA (2048 bits or more) or EC (P-256 or larger).");
        }
    }

    // ------------------------------------------------------------------ checking

    /** True when {@code cert} was signed by this CA and is valid now (by the platform's clock). */
    public boolean issued(X509Certificate cert) {
        return signedByUs(cert) && validNow(cert);
    }

    public boolean signedByUs(X509Certificate cert) {
        if (!cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) return false;
        try {
            cert.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public boolean validNow(X509Certificate cert) {
        try {
            cert.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    public Clock clock() { return clock; }

    /** Lowercase hex SHA-256 of the DER encoding: the fingerprint bound to a credential. */
    public static String fingerprint(X509Certificate cert) {
        try {
            return Crypto.sha256Hex(cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate parseCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    private X509v3CertificateBuilder builder(X500Principal subject, PublicKey key, Duration lifetime) throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(lifetime)), subject, key);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
        return b;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(1, Crypto.randomBytes(16));
    }

    private static String hostName() {
        try {
            String h = java.net.InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() || IPAddress.isValid(h) ? null : h;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override public String toString() { return "LocalCa[" + certificate.getSubjectX500Principal().getName() + "]"; }
}
