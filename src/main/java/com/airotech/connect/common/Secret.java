package com.airotech.connect.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Secret material in memory. {@code toString} never prints it; comparison is constant time;
 * {@link #destroy()} wipes the bytes once the holder is done.
 */
public final class Secret implements Destroyable {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private Secret(byte[] bytes) { this.bytes = bytes; }

    /** Takes ownership of the array (the caller must not keep using it). */
    public static Secret wrap(byte[] bytes) { return new Secret(bytes); }

    public static Secret ofUtf8(String value) { return new Secret(value.getBytes(StandardCharsets.UTF_8)); }

    /** A copy of the material, for the one place that must use it (a MAC, a cipher, an outgoing request). */
    public byte[] bytes() {
        if (destroyed) throw new IllegalStateException("secret was destroyed");
        return bytes.clone();
    }

    public String utf8() { return new String(bytes(), StandardCharsets.UTF_8); }

    public int length() { return bytes.length; }

    public boolean matches(byte[] candidate) { return MessageDigest.isEqual(bytes, candidate); }

    @Override public void destroy() { Arrays.fill(bytes, (byte) 0); destroyed = true; }
    @Override public boolean isDestroyed() { return destroyed; }
    @Override public String toString() { return "***"; }
    @Override public boolean equals(Object o) { return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes); }
    @Override public int hashCode() { return 0; }
}
