package com.airotech.connect.auth;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Text;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks scheme: {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature} (space-separated {@code version,base64} entries) over the signed
 * content {@code id + "." + timestamp + "." + body}. {@code v1} is HMAC-SHA256, {@code v1r}
 * RSASSA-PKCS1-v1_5 with SHA-256.
 */
public final class StandardWebhooks {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final int MAX_SIGNATURES = 16;
    private static final int MAX_ID = 256;

    private StandardWebhooks() {}

    /** One {@code version,signature} entry with the signature decoded. */
    public record Signature(String version, byte[] value) {}

    /** The three headers, parsed. */
    public record Headers(String id, long timestamp, List<Signature> signatures) {
        public Headers { signatures = List.copyOf(signatures); }

        public List<byte[]> versions(String version) {
            List<byte[]> out = new ArrayList<>();
            for (Signature s : signatures) if (s.version().equals(version)) out.add(s.value());
            return out;
        }
    }

    /** The signature entries of a header value, by version; malformed entries are skipped. */
    public static List<Signature> parseSignatures(String header) {
        List<Signature> out = new ArrayList<>(2);
        if (header == null) return out;
        String h = header.trim();
        int start = 0;
        while (start < h.length() && out.size() < MAX_SIGNATURES) {
            int end = h.indexOf(' ', start);
            if (end < 0) end = h.length();
            String entry = h.substring(start, end);
            start = end + 1;
            while (start < h.length() && h.charAt(start) == ' ') start++;
            int comma = entry.indexOf(',');
            if (comma <= 0 || comma == entry.length() - 1) continue;
            try {
                out.add(new Signature(entry.substring(0, comma), Base64.getDecoder().decode(entry.substring(comma + 1))));
            } catch (IllegalArgumentException e) {
                // not base64: ignore this entry; another may still be valid
            }
        }
        return out;
    }

    /**
     * Parses and checks the headers: each present exactly once, a printable id, a timestamp in
     * Unix seconds within {@link #TOLERANCE} of {@code now}.
     */
    public static Headers parse(InboundRequest r, Instant now) {
        String id = single(r, ID);
        String ts = single(r, TIMESTAMP);
        String sig = single(r, SIGNATURE);
        if (id.isEmpty() || id.length() > MAX_ID || !Text.isPrintable(id)) {
            throw signatureInvalid("Header webhook-id must be 1-256 printable characters.");
        }
        if (ts.isEmpty() || ts.length() > 12 || !ts.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw signatureInvalid("Header webhook-timestamp must be the Unix time in seconds.");
        }
        long t = Long.parseLong(ts);
        if (Math.abs(now.getEpochSecond() - t) > TOLERANCE.getSeconds()) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "timestamp_out_of_range",
                    "Header webhook-timestamp is more than 300 seconds from the gateway's clock; check the sender's clock (NTP).");
        }
        return new Headers(id, t, parseSignatures(sig));
    }

    private static String single(InboundRequest r, String name) {
        List<String> v = r.headers(name);
        if (v.isEmpty()) throw signatureInvalid("Header " + name + " is missing; Standard Webhooks needs webhook-id, webhook-timestamp and webhook-signature.");
        if (v.size() > 1) throw signatureInvalid("Header " + name + " appears more than once.");
        return v.get(0).trim();
    }

    public static ApiException signatureInvalid(String message) {
        return new ApiException(ApiException.Kind.UNAUTHORIZED, "signature_invalid", message);
    }

    /** {@code id.timestamp.body} as bytes. */
    public static byte[] signedContent(String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    /** One Mac per thread: looking the algorithm up costs more than the HMAC of a small event. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    });

    public static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 cannot take this key", e);
        }
    }

    /** True when one of the {@code v1} signatures is the HMAC of the content under {@code key} (constant-time compare). */
    public static boolean verifyHmac(byte[] key, Headers h, byte[] body) {
        List<byte[]> candidates = h.versions("v1");
        if (candidates.isEmpty()) return false;
        byte[] expected = hmac(key, signedContent(h.id(), h.timestamp(), body));
        boolean ok = false;
        for (byte[] c : candidates) ok |= MessageDigest.isEqual(expected, c);
        return ok;
    }

    /** The {@code webhook-signature} value a sender would send: {@code v1,<base64>}. */
    public static String sign(String whsec, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(decodeSecret(whsec), signedContent(id, timestamp, body)));
    }

    /** The key bytes of a {@code whsec_…} secret. */
    public static byte[] decodeSecret(String whsec) {
        String b64 = whsec.startsWith("whsec_") ? whsec.substring(6) : whsec;
        return Base64.getDecoder().decode(b64);
    }
}
