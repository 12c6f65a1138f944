package com.airotech.connect.delivery;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a delivery keeps of a target's answer: the first 1 KiB of the body, as text, with anything
 * that looks like a credential replaced by {@code [redacted]}. Receivers echo requests back more often
 * than one would think (debug endpoints, error pages, proxies), and the attempt history is shown to
 * every administrator of the tenant and in the console, so it must never become a place where a token,
 * a signature or a password can be read. The rules err on the side of removing too much.
 */
public final class Redaction {
    public static final int EXCERPT_CHARS = 1024;
    public static final String REDACTED = "[redacted]";
    /** What is read of a body before redacting: more than is kept, so a secret cut at the limit is still recognised. */
    static final int LOOKAHEAD_BYTES = 2 * EXCERPT_CHARS;

    private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z0-9 ]{1,40}-----[\\s\\S]*?(?:-----END [A-Z0-9 ]{1,40}-----|\\z)");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*)?");
    private static final Pattern OUR_SECRETS = Pattern.compile("(?:whsec_|atk_|ak_|cs_)[A-Za-z0-9+/=_-]{8,}");
    private static final Pattern SCHEME_TOKEN = Pattern.compile("(?i)\\b(bearer|basic|digest|token|apikey|sharedaccesssignature|aws4-hmac-sha256)(\\s+)[^\\s\"',;<>]{4,}");
    private static final Pattern HEADER_ECHO = Pattern.compile(
            "(?im)^(\\s*(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|webhook-signature|x-amz-security-token)\\s*:\\s*)(.+)$");
    /** key = value or "key": "value" where the key names a secret of some kind. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)(\"?[A-Za-z0-9_.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|authorization|credential|private[_-]?key|signature|session|cookie)[A-Za-z0-9_.-]*\"?\\s*[:=]\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"?|'[^']*'?|[^\\s,&;}<\\]]+)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    /** A long run of base64, base64url or hex that has both letters and digits: key material, signatures, session ids. */
    private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9+/_=-]{32,}");
    private static final Pattern CREDENTIAL_IN_URL = Pattern.compile("(?i)(://)[^/\\s:@]+:[^/\\s@]+@");

    private Redaction() {}

    /** The excerpt of a response body: decoded as UTF-8, redacted, at most {@link #EXCERPT_CHARS} characters; null for an empty body. */
    public static String excerpt(byte[] body) {
        if (body == null || body.length == 0) return null;
        int n = Math.min(body.length, LOOKAHEAD_BYTES);
        String text = new String(body, 0, n, StandardCharsets.UTF_8);
        String clean = redact(printable(text));
        if (clean.length() > EXCERPT_CHARS) return clean.substring(0, EXCERPT_CHARS) + "…";
        if (body.length > n || (body.length > EXCERPT_CHARS && clean.length() == EXCERPT_CHARS)) return clean + "…";
        return clean;
    }

    /** Removes what looks like a credential from any text (an excerpt, an error message naming a URL). */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String t = PEM.matcher(text).replaceAll(REDACTED);
        t = CREDENTIAL_IN_URL.matcher(t).replaceAll("$1" + REDACTED + "@");
        t = HEADER_ECHO.matcher(t).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        t = SECRET_FIELD.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + quoted(m.group(2))));
        t = SCHEME_TOKEN.matcher(t).replaceAll("$1$2" + Matcher.quoteReplacement(REDACTED));
        t = JWT.matcher(t).replaceAll(REDACTED);
        t = OUR_SECRETS.matcher(t).replaceAll(REDACTED);
        t = AWS_KEY_ID.matcher(t).replaceAll(REDACTED);
        t = LONG_RUN.matcher(t).replaceAll(m -> looksLikeMaterial(m.group()) ? REDACTED : Matcher.quoteReplacement(m.group()));
        return t;
    }

    private static String quoted(String value) {
        if (value.startsWith("\"")) return "\"" + REDACTED + "\"";
        if (value.startsWith("'")) return "'" + REDACTED + "'";
        return REDACTED;
    }

    private static boolean looksLikeMaterial(String run) {
        if (run.equals(REDACTED)) return false;
        boolean digit = false, letter = false;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c >= '0' && c <= '9') digit = true;
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
        }
        return digit && letter;
    }

    /** Control characters other than tab and line breaks become '?', so an excerpt prints safely. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            sb.append(control ? '?' : c);
        }
        return sb.toString();
    }
}
