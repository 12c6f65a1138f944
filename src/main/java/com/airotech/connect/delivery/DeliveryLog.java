package com.airotech.connect.delivery;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * First-attempt successes, packed: a delivery that succeeded at once gets no row of its own (that
 * would double the writes per event); the dispatcher writes them many to a row when it moves its
 * cursor. Each item is four unsigned varints: the event's seq (as a difference from the row's
 * {@code first_seq}), the attempt's time (milliseconds after the row's {@code at}, which is the
 * earliest), its latency in milliseconds, and the HTTP status. About 8 bytes per delivery.
 */
public final class DeliveryLog {
    private DeliveryLog() {}

    /** One first-attempt success. */
    public record Item(long seq, long at, long latencyMs, int status) {}

    /** The packed form of items, with the row's first seq and base time. */
    public record Chunk(long firstSeq, long lastSeq, long at, int count, byte[] data) {}

    public static Chunk pack(List<Item> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("nothing to pack");
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE, base = Long.MAX_VALUE;
        for (Item i : items) {
            first = Math.min(first, i.seq());
            last = Math.max(last, i.seq());
            base = Math.min(base, i.at());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 9);
        for (Item i : items) {
            varint(out, i.seq() - first);
            varint(out, i.at() - base);
            varint(out, Math.max(0, i.latencyMs()));
            varint(out, Math.max(0, i.status()));
        }
        return new Chunk(first, last, base, items.size(), out.toByteArray());
    }

    public static List<Item> unpack(long firstSeq, long at, byte[] data) {
        List<Item> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long seq = firstSeq + read(data, pos);
            long t = at + read(data, pos);
            long latency = read(data, pos);
            int status = (int) read(data, pos);
            out.add(new Item(seq, t, latency, status));
        }
        return out;
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long read(byte[] b, int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= b.length || shift > 63) throw new IllegalArgumentException("a delivery log row is damaged");
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
            shift += 7;
        }
    }
}
