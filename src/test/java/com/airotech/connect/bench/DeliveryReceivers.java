package com.airotech.connect.bench;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The delivery benchmark's receivers, in their own JVM: N webhook receivers on loopback (Undertow,
 * body read on the I/O thread, 204), each measuring delivery lag as its arrival time minus the
 * event's {@code received_at} (the gateway's acknowledgement time, ms precision), and a control port:
 * {@code GET /stats} gives count, lag p50/p99/max per receiver since the last {@code GET /reset}.
 * Usage: {@code DeliveryReceivers N}; prints {@code {"ports":[…],"control":P}}.
 */
public final class DeliveryReceivers {
    private static final int MAX_MS = 120_000;

    /** One receiver's counts: deliveries, and lag in milliseconds as a histogram. */
    static final class Stats {
        final AtomicLong count = new AtomicLong();
        final AtomicLongArray hist = new AtomicLongArray(MAX_MS + 1);
        volatile long since = System.currentTimeMillis();

        void record(long lagMs) {
            count.incrementAndGet();
            hist.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, lagMs)));
        }

        void reset() {
            for (int i = 0; i <= MAX_MS; i++) hist.set(i, 0);
            count.set(0);
            since = System.currentTimeMillis();
        }

        long percentile(double q) {
            long total = 0;
            for (int i = 0; i <= MAX_MS; i++) total += hist.get(i);
            if (total == 0) return -1;
            long rank = Math.max(1, (long) Math.ceil(q * total)), seen = 0;
            for (int i = 0; i <= MAX_MS; i++) {
                seen += hist.get(i);
                if (seen >= rank) return i;
            }
            return MAX_MS;
        }

        String json() {
            double secs = Math.max(0.001, (System.currentTimeMillis() - since) / 1000.0);
            return String.format(java.util.Locale.ROOT, "{\"count\":%d,\"rate\":%.1f,\"p50_ms\":%d,\"p99_ms\":%d,\"max_ms\":%d}", count.get(), count.get() / secs,
                    percentile(0.5), percentile(0.99), percentile(1.0));
        }
    }

    private static final byte[] RECEIVED_AT = "\"received_at\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The event's received_at (epoch ms) from the delivery body, found without parsing the JSON. */
    static long receivedAt(byte[] body) {
        outer:
        for (int i = 0; i + RECEIVED_AT.length < body.length; i++) {
            for (int j = 0; j < RECEIVED_AT.length; j++) if (body[i + j] != RECEIVED_AT[j]) continue outer;
            int start = i + RECEIVED_AT.length;
            int end = start;
            while (end < body.length && body[end] != '"') end++;
            return Instant.parse(new String(body, start, end - start, StandardCharsets.US_ASCII)).toEpochMilli();
        }
        return -1;
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        List<Stats> stats = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Undertow.Builder b = Undertow.builder().setIoThreads(2);
        for (int i = 0; i < n; i++) {
            Stats s = new Stats();
            stats.add(s);
        }
        List<Undertow> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Stats s = stats.get(i);
            Undertow u = Undertow.builder().setIoThreads(1).setWorkerThreads(1).addHttpListener(0, "127.0.0.1").setHandler(ex ->
                    ex.getRequestReceiver().receiveFullBytes((e, body) -> {
                        long at = receivedAt(body);
                        if (at > 0) s.record(System.currentTimeMillis() - at);
                        e.setStatusCode(204);
                        e.endExchange();
                    })).build();
            u.start();
            servers.add(u);
            ports.add(((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort());
        }
        Undertow control = b.addHttpListener(0, "127.0.0.1").setHandler(ex -> {
            if (ex.getRequestPath().equals("/reset")) stats.forEach(Stats::reset);
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < n; i++) out.append(i == 0 ? "" : ",").append(stats.get(i).json());
            ex.getResponseSender().send(ByteBuffer.wrap(out.append(']').toString().getBytes(StandardCharsets.UTF_8)));
        }).build();
        control.start();
        int cp = ((InetSocketAddress) control.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("{\"ports\":" + ports + ",\"control\":" + cp + "}");
        System.out.flush();
    }
}
