package com.airotech.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimesTest {
    /** What the formatter alone says, within the accepted years 0001–9999: the instant, or null when it refuses the text. */
    private static Instant formatter(String v) {
        try {
            Instant t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v, Instant::from);
            return t.isBefore(Times.MIN) || t.isAfter(Times.MAX) ? null : t;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant times(String v) {
        try {
            return Times.parse(v, "occurred_at");
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo("invalid_request");
            return null;
        }
    }

    @Test
    void theQuickPathAgreesWithTheFormatterOnEdgesAndMutations() {
        String[] edges = {"2026-11-22T10:00:00Z", "2026-11-22T10:00:00.1Z", "2026-11-22T10:00:00.123456789Z", "2026-11-22T10:00:00.1234567890Z",
                "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-11-00T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-11-22T23:59:60Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "2026-11-22t10:00:00z", "2026-11-22T10:00Z", "2026-11-22T10:00:00+02:00",
                "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00,5Z", "+2026-11-22T10:00:00Z", "2026-11-22 10:00:00Z", "2026-1-22T10:00:00Z",
                "２026-11-22T10:00:00Z", "2026-11-22T10:00:00", ""};
        for (String v : edges) assertThat(times(v)).as(v).isEqualTo(formatter(v));
        Random r = new Random(7);
        String alphabet = "0123456789-:T.Zz+ ";
        for (int i = 0; i < 50_000; i++) {
            char[] c = edges[r.nextInt(edges.length - 1)].toCharArray();
            if (c.length == 0) continue;
            for (int k = r.nextInt(3); k >= 0; k--) c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
            String v = new String(c);
            assertThat(times(v)).as(v).isEqualTo(formatter(v));
        }
    }

    @Test
    void aRefusalNamesTheFieldAndAnExample() {
        assertThatThrownBy(() -> Times.parse("yesterday", "occurred_at"))
                .hasMessageContaining("'occurred_at'").hasMessageContaining("2026-11-22T10:00:00Z");
    }
}
