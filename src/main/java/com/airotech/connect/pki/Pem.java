package com.airotech.connect.pki;

import com.airotech.connect.common.ApiException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM reading and writing through BouncyCastle. */
public final class Pem {
    private Pem() {}

    /** An RSA public key of at least 2048 bits, from a PEM "PUBLIC KEY" block. */
    public static RSAPublicKey rsaPublicKey(String pem, String field) {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalidRequest("Field '" + field + "' is not a readable PEM public key.");
        }
        if (!(o instanceof SubjectPublicKeyInfo spki)) {
            throw ApiException.invalidRequest("Field '" + field + "' must hold a PEM block 'BEGIN PUBLIC KEY'.");
        }
        PublicKey key;
        try {
            key = new JcaPEMKeyConverter().getPublicKey(spki);
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalidRequest("Field '" + field + "' is not a readable public key.");
        }
        if (!(key instanceof RSAPublicKey rsa)) throw ApiException.invalidRequest("Field '" + field + "' must be an RSA public key.");
        if (rsa.getModulus().bitLength() < 2048) throw ApiException.invalidRequest("Field '" + field + "' must be an RSA key of at least 2048 bits.");
        return rsa;
    }

    public static String write(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return sw.toString();
    }

    /** A private key as an unencrypted PKCS#8 PEM block ("BEGIN PRIVATE KEY"), for showing once. */
    public static String privateKeyPkcs8(java.security.PrivateKey key) {
        String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }
}
