package com.airotech.connect.common;

/** Text checks shared by every input path. */
public final class Text {
    private Text() {}

    /** True when the string has no control characters (C0, DEL, C1) and no unpaired surrogates. */
    public static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when every character is visible ASCII (0x21–0x7E): what a credential that travels in an
     * HTTP header (an API key, a bearer token) must be made of.
     */
    public static boolean isVisibleAscii(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) return false;
        }
        return true;
    }

    /** True when the string is an HTTP header field value: visible ASCII, with single spaces or tabs inside. */
    public static boolean isHeaderValue(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 || c > 0x7e) && c != '\t') return false;
        }
        return s.isEmpty() || (s.charAt(0) != ' ' && s.charAt(0) != '\t' && s.charAt(s.length() - 1) != ' ' && s.charAt(s.length() - 1) != '\t');
    }

    /** True when the string is an HTTP header name (an RFC 9110 token). */
    public static boolean isHeaderName(String s) {
        if (s == null || s.isEmpty() || s.length() > 256) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) return false;
        }
        return true;
    }

    /** Makes untrusted text safe for a log line or message: control characters escaped, length capped. */
    public static String sanitize(String s, int max) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (sb.length() >= max) sb.append('…');
        return sb.toString();
    }
}
