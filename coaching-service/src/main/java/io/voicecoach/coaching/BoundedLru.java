package io.voicecoach.coaching;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe map that forgets its least recently used entry once it holds {@code capacity} entries. */
public final class BoundedLru<K, V> {

    private final Map<K, V> entries;

    public BoundedLru(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Stores {@code value} unless the key is present; true when it was absent. */
    public synchronized boolean putIfAbsent(K key, V value) {
        return entries.putIfAbsent(key, value) == null;
    }

    public synchronized V computeIfAbsent(K key, Function<K, V> create) {
        return entries.computeIfAbsent(key, create);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void remove(K key) {
        entries.remove(key);
    }

    public synchronized int size() {
        return entries.size();
    }
}
