package com.airotech.connect.delivery;

/**
 * A delivery's id: the subscription and the event's sequence number, {@code dl_<subscription>_<seq>}.
 * Derived, never stored or drawn at random, so every attempt of a delivery, before and after a crash,
 * carries the same {@code webhook-id} and receivers can de-duplicate on it.
 */
public final class DeliveryIds {
    private DeliveryIds() {}

    /** A parsed delivery id. */
    public record Parsed(String subscriptionId, long eventSeq) {}

    public static String of(String subscriptionId, long eventSeq) {
        return "dl_" + subscriptionId.substring(3) + "_" + eventSeq;
    }

    /** The parts of a delivery id, or null when the text is not one. */
    public static Parsed parse(String id) {
        if (id == null || id.length() > 64 || !id.startsWith("dl_")) return null;
        int sep = id.lastIndexOf('_');
        if (sep <= 3 || sep == id.length() - 1) return null;
        String sub = id.substring(3, sep);
        if (!sub.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return null;
        long seq;
        try {
            seq = Long.parseLong(id.substring(sep + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (seq <= 0) return null;
        return new Parsed("sb_" + sub, seq);
    }
}
