package com.airotech.connect.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers signed message ids per connector for as long as a message with that timestamp could
 * still be accepted. A claim is taken before the event is stored and released if it is not, so
 * two concurrent copies of one message cannot both pass, and a rejected message leaves no trace.
 *
 * <p>Memory is the constraint: at a sustained rate R the guard holds about R × 300 s ids. Each is
 * kept as a 64-bit salted SHA-256 digest of (tenant, connector, id) with its expiry, in open-addressing
 * tables grouped by expiry (16 s per table), so an id costs about 16-24 bytes instead of the
 * ~200 of a string key, and expired ids go a whole table at a time. The salt is random per process,
 * so nobody can aim ids at a collision; by chance one is about 1 in 10^12 at 7 million ids.
 */
public final class ReplayGuard {
    private static final long WINDOW_SECONDS = StandardWebhooks.TOLERANCE.getSeconds();
    private static final long BUCKET_SECONDS = 16;
    private static final int STRIPES = 8;

    private final Clock clock;
    private final byte[] salt = new byte[16];
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    });

    public ReplayGuard(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(salt);
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe();
    }

    /** Claims a message id; false when it was seen inside the window. */
    public boolean claim(String tenantId, String connectorId, String messageId, long messageTimestamp) {
        long now = clock.instant().getEpochSecond();
        long expires = Math.max(now, messageTimestamp) + WINDOW_SECONDS;
        long h = hash(tenantId, connectorId, messageId);
        Stripe s = stripe(h);
        synchronized (s) {
            s.dropExpired(now);
            long prior = s.find(h);
            if (prior != Stripe.ABSENT && prior >= now) return false;
            if (prior != Stripe.ABSENT) s.remove(h);
            s.put(h, expires);
            return true;
        }
    }

    public void release(String tenantId, String connectorId, String messageId) {
        long h = hash(tenantId, connectorId, messageId);
        Stripe s = stripe(h);
        synchronized (s) { s.remove(h); }
    }

    /** Restores a message accepted before a restart. */
    public void remember(String tenantId, String connectorId, String messageId, long expiresEpochSecond) {
        long h = hash(tenantId, connectorId, messageId);
        Stripe s = stripe(h);
        synchronized (s) {
            long prior = s.find(h);
            if (prior != Stripe.ABSENT) {
                if (prior >= expiresEpochSecond) return;
                s.remove(h);
            }
            s.put(h, expiresEpochSecond);
        }
    }

    /** Ids held (after dropping the tables whose window has passed). */
    public long size() {
        long now = clock.instant().getEpochSecond();
        long n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                s.dropExpired(now);
                n += s.size();
            }
        }
        return n;
    }

    private Stripe stripe(long h) { return stripes[(int) (h >>> 61)]; }

    private long hash(String tenantId, String connectorId, String messageId) {
        MessageDigest d = digests.get();
        d.update(salt);
        d.update(tenantId.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(connectorId.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        byte[] out = d.digest(messageId.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) h = (h << 8) | (out[i] & 0xff);
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    /** The ids of one stripe, in tables by expiry window; a table goes once its window has passed. */
    private static final class Stripe {
        static final long ABSENT = Long.MIN_VALUE;
        private final TreeMap<Long, Table> tables = new TreeMap<>();

        void dropExpired(long now) {
            Iterator<Map.Entry<Long, Table>> it = tables.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Table> e = it.next();
                if ((e.getKey() + 1) * BUCKET_SECONDS - 1 >= now) break; // this table still holds an unexpired id
                it.remove();
            }
        }

        long find(long h) {
            for (Table t : tables.values()) {
                long e = t.get(h);
                if (e != ABSENT) return e;
            }
            return ABSENT;
        }

        void remove(long h) {
            for (Table t : tables.values()) if (t.remove(h)) return;
        }

        void put(long h, long expires) {
            tables.computeIfAbsent(Math.floorDiv(expires, BUCKET_SECONDS), k -> new Table(k * BUCKET_SECONDS)).put(h, expires);
        }

        long size() {
            long n = 0;
            for (Table t : tables.values()) n += t.live;
            return n;
        }
    }

    /**
     * Linear-probing table of digests and expiries (as seconds after the table's start, so an int).
     * Removal leaves the key with a dead expiry, so probe chains stay intact.
     */
    private static final class Table {
        private static final int DEAD = Integer.MIN_VALUE;
        private static final long ABSENT_VALUE = Stripe.ABSENT;
        private final long start;
        private long[] keys = new long[256];
        private int[] expiries = new int[256];
        private int used;
        int live;

        Table(long start) { this.start = start; }

        long get(long h) {
            int mask = keys.length - 1;
            for (int i = (int) mix(h) & mask; keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == h) return expiries[i] == DEAD ? ABSENT_VALUE : start + expiries[i];
            }
            return ABSENT_VALUE;
        }

        boolean remove(long h) {
            int mask = keys.length - 1;
            for (int i = (int) mix(h) & mask; keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == h) {
                    if (expiries[i] == DEAD) return false;
                    expiries[i] = DEAD;
                    live--;
                    return true;
                }
            }
            return false;
        }

        void put(long h, long expires) {
            if ((used + 1) * 4L > keys.length * 3L) grow();
            int mask = keys.length - 1;
            int i = (int) mix(h) & mask;
            while (keys[i] != 0 && keys[i] != h) i = (i + 1) & mask;
            if (keys[i] == 0) used++;
            keys[i] = h;
            expiries[i] = (int) (expires - start);
            live++;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldExpiries = expiries;
            keys = new long[oldKeys.length * 2];
            expiries = new int[oldKeys.length * 2];
            used = 0;
            live = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0 && oldExpiries[i] != DEAD) put(oldKeys[i], start + oldExpiries[i]);
            }
        }

        /** The digest's bits are already uniform; this only spreads them over the low bits. */
        private static long mix(long h) { return h ^ (h >>> 32); }
    }
}
