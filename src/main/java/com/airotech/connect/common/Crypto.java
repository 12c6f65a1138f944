package com.airotech.connect.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Small helpers over the JDK's primitives: randomness, SHA-256, encodings. */
public final class Crypto {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Crypto() {}

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A random identifier such as {@code cn_7k2m...}: prefix plus 20 base32 characters (100 bits). */
    public static String newId(String prefix) {
        byte[] b = randomBytes(20);
        StringBuilder sb = new StringBuilder(prefix.length() + 21).append(prefix).append('_');
        for (byte x : b) sb.append(ID_ALPHABET[(x & 0xff) % 32]);
        return sb.toString();
    }

    /** An opaque token of 32 random bytes (256 bits), base64url without padding, behind a prefix. */
    public static String newToken(String prefix) {
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String value) { return hex(sha256(value.getBytes(StandardCharsets.UTF_8))); }

    public static String sha256Hex(byte[] value) { return hex(sha256(value)); }

    public static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    public static byte[] unhex(String s) { return HexFormat.of().parseHex(s); }

    /** Constant-time comparison of a candidate's SHA-256 with a stored hex digest. */
    public static boolean sha256Matches(byte[] candidate, String storedHex) {
        byte[] stored;
        try {
            stored = unhex(storedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(candidate), stored);
    }
}
