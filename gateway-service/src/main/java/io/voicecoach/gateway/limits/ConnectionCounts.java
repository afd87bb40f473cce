package io.voicecoach.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Open connections per key (a remote IP), each key bounded; a key with none is forgotten. */
public final class ConnectionCounts {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** Counts one more connection of {@code key} unless it holds {@code limit} already: then false. */
    public boolean tryEnter(String key, int limit) {
        boolean[] admitted = new boolean[1];
        open.compute(key, (k, count) -> {
            int held = count == null ? 0 : count;
            admitted[0] = held < limit;
            return admitted[0] ? held + 1 : count;
        });
        return admitted[0];
    }

    /** One connection of {@code key} is gone (or no longer counts). */
    public void leave(String key) {
        open.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
    }

    public int held(String key) {
        return open.getOrDefault(key, 0);
    }
}
