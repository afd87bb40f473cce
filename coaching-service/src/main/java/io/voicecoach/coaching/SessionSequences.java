package io.voicecoach.coaching;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelope {@code seq} of what this instance publishes outside the stream thread (LLM answers, the agent's
 * worker), per session. The session processor's own outputs take their {@code seq} from the session's state and
 * move this counter up to it at every hand-off, so a session's sequence keeps growing across both.
 */
@ApplicationScoped
public class SessionSequences {

    private final BoundedLru<String, AtomicLong> counters;

    public SessionSequences(CoachingConfig config) {
        this.counters = new BoundedLru<>(config.sessionCapacity());
    }

    public long next(String tenantId, String sessionId) {
        return counter(tenantId, sessionId).incrementAndGet();
    }

    /** The next {@link #next} is above {@code seq}. */
    public void advanceTo(String tenantId, String sessionId, long seq) {
        counter(tenantId, sessionId).accumulateAndGet(seq, Math::max);
    }

    private AtomicLong counter(String tenantId, String sessionId) {
        return counters.computeIfAbsent(tenantId + "/" + sessionId, id -> new AtomicLong());
    }
}
