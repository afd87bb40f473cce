package io.voicecoach.coaching;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/** The envelope {@code seq} of this producer per session: 1, 2, 3... over every topic coaching writes. */
@ApplicationScoped
public class SessionSequences {

    private final BoundedLru<String, AtomicLong> counters;

    public SessionSequences(CoachingConfig config) {
        this.counters = new BoundedLru<>(config.sessionCapacity());
    }

    public long next(String tenantId, String sessionId) {
        return counters.computeIfAbsent(tenantId + "/" + sessionId, id -> new AtomicLong()).incrementAndGet();
    }
}
