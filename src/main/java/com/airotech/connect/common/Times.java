package com.airotech.connect.common;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** UTC ISO-8601 timestamps with {@code Z}, as the wire contract wants them. */
public final class Times {
    private Times() {}

    /** Millisecond precision keeps stored and displayed values comparable as strings. */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The earliest and latest instants accepted on the wire: years 0001 to 9999, so epoch milliseconds never overflow. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public static Instant parse(String value, String field) {
        Instant t = parseUtcSeconds(value);
        if (t == null) {
            try {
                t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
            } catch (DateTimeParseException e) {
                throw ApiException.invalidRequest("Field '" + field + "' must be an ISO-8601 timestamp such as 2026-11-22T10:00:00Z.");
            }
        }
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            throw ApiException.invalidRequest("Field '" + field + "' must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.");
        }
        return t;
    }

    /**
     * The common shape {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, parsed without the formatter (it
     * runs on every ingested event); null for anything else, which the formatter then decides.
     * Gives exactly what {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} gives for these inputs.
     */
    static Instant parseUtcSeconds(String v) {
        int n = v.length();
        if (n < 20 || n > 30 || v.charAt(n - 1) != 'Z' || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':') return null;
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) return null;
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (v.charAt(19) != '.' || fraction < 1 || fraction > 9) return null;
            int f = digits(v, 20, fraction);
            if (f < 0) return null;
            nanos = f;
            for (int i = fraction; i < 9; i++) nanos *= 10;
        }
        if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) return null;
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String v, int from, int count) {
        int out = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return -1;
            out = out * 10 + (c - '0');
        }
        return out;
    }
}
