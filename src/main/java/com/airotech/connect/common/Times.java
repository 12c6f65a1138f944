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

    public static Instant parse(String value, String field) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("Field '" + field + "' must be an ISO-8601 timestamp such as 2026-11-22T10:00:00Z.");
        }
    }
}
