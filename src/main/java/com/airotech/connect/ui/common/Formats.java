package com.airotech.connect.ui.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations read on screen: local time, and "3 min ago". */
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Formats() {}

    public static String time(Instant t) { return t == null ? "" : TIME.format(t); }

    public static String clock(Instant t) { return t == null ? "" : CLOCK.format(t); }

    public static String ago(Instant t, Instant now) {
        if (t == null) return "never";
        long s = Math.max(0, Duration.between(t, now).getSeconds());
        if (s < 5) return "just now";
        if (s < 60) return s + " s ago";
        if (s < 3600) return (s / 60) + " min ago";
        if (s < 86_400) return (s / 3600) + " h ago";
        return (s / 86_400) + " d ago";
    }

    /** A countdown such as 0:42 or 1:05:00. */
    public static String countdown(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s >= 3600) return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        return String.format("%d:%02d", s / 60, s % 60);
    }

    /** A hex SHA-256 as openssl prints fingerprints: upper case, bytes separated by colons. */
    public static String fingerprint(String hex) {
        if (hex == null) return "";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < hex.length(); i += 2) {
            if (sb.length() > 0) sb.append(':');
            sb.append(hex, i, i + 2);
        }
        return sb.toString().toUpperCase(java.util.Locale.ROOT);
    }

    public static String count(long n, String one, String many) { return n + " " + (n == 1 ? one : many); }

    /** A size for people: 812 KiB, 1.4 GiB. */
    public static String bytes(long n) {
        if (n < 1024) return n + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", v) : String.format(java.util.Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
