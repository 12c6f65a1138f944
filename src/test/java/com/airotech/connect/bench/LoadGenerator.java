package com.airotech.connect.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A small HTTP/1.1 load generator on one NIO selector thread: keep-alive connections, each with at
 * most one request in flight. Closed loop (every connection sends again as soon as it is answered,
 * like wrk) or open loop at a fixed rate (requests that find no idle connection are counted as
 * {@code unsent}). Latency is kept per microsecond up to 10 s, so percentiles are exact.
 */
public final class LoadGenerator {
    /** Builds the n-th request (complete bytes: request line, headers, body). */
    public interface RequestFactory extends LongFunction<byte[]> {}

    public record Result(long ok, long shed, long errors, long unsent, double seconds, long p50Micros, long p99Micros, long maxMicros,
                         long retryAfterMissing, String firstError) {
        public double rate() { return ok / seconds; }
        public double offered() { return (ok + shed + errors) / seconds; }
    }

    private static final int MAX_MICROS = 10_000_000;

    /** Told of every answer during the measured phase: the request's sequence number and status. */
    public interface Answers { void answered(long seq, int status); }

    private Answers answers = (seq, status) -> { };

    public LoadGenerator onAnswer(Answers a) { this.answers = a; return this; }

    private Runnable measureStarts = () -> { };

    /** Runs when the warm-up ends and the measured phase begins (on the generator's thread). */
    public LoadGenerator onMeasureStart(Runnable r) { this.measureStarts = r; return this; }

    private final InetSocketAddress target;
    private final int connections;
    private final RequestFactory requests;

    public LoadGenerator(String host, int port, int connections, RequestFactory requests) {
        this.target = new InetSocketAddress(host, port);
        this.connections = connections;
        this.requests = requests;
    }

    private final class Conn {
        SocketChannel ch;
        SelectionKey key;
        ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long sentAt;
        long seq;
        boolean busy;
    }

    /** Closed loop for {@code warmup} then {@code measure}. */
    public Result closedLoop(long warmupMillis, long measureMillis) throws IOException {
        return run(warmupMillis, measureMillis, 0);
    }

    /** Open loop at {@code perSecond} requests per second. */
    public Result openLoop(long warmupMillis, long measureMillis, double perSecond) throws IOException {
        return run(warmupMillis, measureMillis, perSecond);
    }

    private Result run(long warmupMillis, long measureMillis, double rate) throws IOException {
        int[] hist = new int[MAX_MICROS + 1];
        long[] counts = new long[5]; // ok, shed, errors, unsent, retryAfterMissing
        String[] firstError = new String[1];
        long seq = 0;
        try (Selector sel = Selector.open()) {
            ArrayDeque<Conn> idle = new ArrayDeque<>();
            for (int i = 0; i < connections; i++) {
                Conn c = new Conn();
                open(c, sel);
                idle.add(c);
            }
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            long due = 0; // open loop: requests due so far
            long issued = 0;
            boolean measuring = false;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) break;
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    measureStarts.run();
                    java.util.Arrays.fill(hist, 0);
                    java.util.Arrays.fill(counts, 0);
                    firstError[0] = null;
                }
                if (rate <= 0) {
                    while (!idle.isEmpty()) { Conn c = idle.poll(); c.seq = seq; send(c, requests.apply(seq++), now); }
                } else {
                    due = (long) ((now - start) / 1e9 * rate);
                    while (issued < due) {
                        issued++;
                        Conn c = idle.poll();
                        if (c == null) { counts[3]++; continue; }
                        c.seq = seq;
                        send(c, requests.apply(seq++), now);
                    }
                }
                sel.select(rate > 0 ? 1 : 100);
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable()) flush(c);
                        if (k.isValid() && k.isReadable()) {
                            int status = read(c, counts);
                            if (status == -2) { // closed by the server
                                record(counts, firstError, 2, "connection closed by server");
                                reopen(c, sel, idle);
                            } else if (status > 0) {
                                long micros = (System.nanoTime() - c.sentAt) / 1000;
                                if (measuring) answers.answered(c.seq, status);
                                if (status >= 200 && status < 300) {
                                    counts[0]++;
                                    hist[(int) Math.min(micros, MAX_MICROS)]++;
                                } else if (status == 503 || status == 429) {
                                    counts[1]++;
                                } else {
                                    record(counts, firstError, 2, "HTTP " + status + ": " + lastBody);
                                }
                                c.busy = false;
                                if (c.ch.isOpen()) idle.add(c); else reopen(c, sel, idle);
                            }
                        }
                    } catch (IOException e) {
                        record(counts, firstError, 2, e.toString());
                        reopen(c, sel, idle);
                    }
                }
            }
            double seconds = measureMillis / 1000.0;
            for (SelectionKey k : sel.keys()) k.channel().close();
            return new Result(counts[0], counts[1], counts[2], counts[3], seconds, percentile(hist, 0.50), percentile(hist, 0.99),
                    percentile(hist, 1.0), counts[4], firstError[0]);
        }
    }

    private void open(Conn c, Selector sel) throws IOException {
        c.ch = SocketChannel.open(target);
        c.ch.configureBlocking(false);
        c.ch.socket().setTcpNoDelay(true);
        c.key = c.ch.register(sel, SelectionKey.OP_READ, c);
        c.in.clear();
        c.busy = false;
    }

    private void reopen(Conn c, Selector sel, ArrayDeque<Conn> idle) throws IOException {
        idle.remove(c);
        try { c.ch.close(); } catch (IOException ignored) { /* replaced below */ }
        open(c, sel);
        idle.add(c);
    }

    private static void record(long[] counts, String[] first, int idx, String what) {
        counts[idx]++;
        if (first[0] == null) first[0] = what;
    }

    private void send(Conn c, byte[] request, long now) throws IOException {
        c.out = ByteBuffer.wrap(request);
        c.sentAt = now;
        c.busy = true;
        c.in.clear();
        flush(c);
    }

    private void flush(Conn c) throws IOException {
        c.ch.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private String lastBody = "";

    /** Reads what arrived; returns the status once a whole response is in, 0 if not yet, -2 if closed. */
    private int read(Conn c, long[] counts) throws IOException {
        int n = c.ch.read(c.in);
        if (n < 0) return -2;
        ByteBuffer b = c.in;
        int len = b.position();
        byte[] a = b.array();
        int headerEnd = -1;
        for (int i = 3; i < len; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') { headerEnd = i + 1; break; }
        }
        if (headerEnd < 0) return 0;
        String head = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        int contentLength = 0;
        boolean retryAfter = false;
        boolean close = false;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim().toLowerCase();
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) contentLength = Integer.parseInt(value);
            else if (name.equals("retry-after")) retryAfter = true;
            else if (name.equals("connection") && value.equalsIgnoreCase("close")) close = true;
        }
        if (len < headerEnd + contentLength) return 0;
        if (status >= 300) lastBody = new String(a, headerEnd, Math.min(contentLength, 300), StandardCharsets.UTF_8);
        if ((status == 503 || status == 429) && !retryAfter) counts[4]++;
        b.clear();
        if (close) c.ch.close();
        return status;
    }

    private static long percentile(int[] hist, double q) {
        long total = 0;
        for (int v : hist) total += v;
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= rank) return i;
        }
        return MAX_MICROS;
    }
}
