package com.airotech.connect.auth;

import com.airotech.connect.common.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** An HTTP Basic {@code Authorization} header, parsed (RFC 7617). The password is a {@link Secret}. */
public record BasicCredentials(String user, Secret password) {
    /** The credentials of a {@code Basic} header, or null when the header is not a well-formed Basic header. */
    public static BasicCredentials parse(String header) {
        if (header == null || header.length() > 1024) return null;
        String h = header.trim();
        if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) return null;
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) return null;
        return new BasicCredentials(text.substring(0, colon), Secret.ofUtf8(text.substring(colon + 1)));
    }

    public static boolean isBasic(String header) {
        return header != null && header.trim().regionMatches(true, 0, "basic ", 0, 6);
    }

    public static boolean isBearer(String header) {
        return header != null && header.trim().regionMatches(true, 0, "bearer ", 0, 7);
    }
}
