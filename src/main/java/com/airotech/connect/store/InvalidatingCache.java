package com.airotech.connect.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A read-through cache cleared as a whole when the data behind it changes. A value loaded while an
 * invalidation happened is not kept, so a reader that started before a change never re-inserts
 * what the change replaced.
 */
public final class InvalidatingCache<K, V> {
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final int maxEntries;

    public InvalidatingCache(int maxEntries) { this.maxEntries = maxEntries; }

    public V get(K key, Function<K, V> loader) {
        V v = map.get(key);
        if (v != null) return v;
        long g = generation.get();
        v = loader.apply(key);
        if (v == null) return null;
        if (map.size() >= maxEntries) map.clear(); // bounded: a flood of unknown keys cannot grow memory
        if (generation.get() == g) {
            map.put(key, v);
            if (generation.get() != g) map.remove(key, v);
        }
        return v;
    }

    public V getIfPresent(K key) { return map.get(key); }

    public void invalidateAll() {
        generation.incrementAndGet();
        map.clear();
    }
}
