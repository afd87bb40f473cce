package io.voicecoach.transcription.stt;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.SessionStarted;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-session decoder state on this instance: which tenant owns the session and how much audio of each track
 * has arrived. The STT engines keep their state beside it.
 */
@ApplicationScoped
public class SessionRegistry {

    public record SessionState(String tenantId, String sessionId, SessionStarted started, Map<String, Long> samplesPerTrack,
                               AtomicLong transcriptSeq) {
        public long audioMillis(String track) {
            return samplesPerTrack.getOrDefault(track, 0L) * 1000 / AudioHeaders.SAMPLE_RATE;
        }
    }

    private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();

    /** Audio and session events travel on different topics, so audio may open the state before this arrives. */
    public void started(String tenantId, String sessionId, SessionStarted started) {
        sessions.compute(sessionId, (id, state) -> state == null
                ? new SessionState(tenantId, id, started, new ConcurrentHashMap<>(), new AtomicLong())
                : state.tenantId().equals(tenantId) ? new SessionState(tenantId, id, started, state.samplesPerTrack(), state.transcriptSeq()) : state);
    }

    public void ended(String sessionId) {
        sessions.remove(sessionId);
    }

    /**
     * Counts a chunk of audio. Audio for a session this instance has not seen start (a rebalance moved it here)
     * opens the state on the spot; a chunk whose tenant differs from the session's owner is refused.
     */
    public boolean audio(String tenantId, String sessionId, String track, int samples) {
        var state = sessions.computeIfAbsent(sessionId,
                id -> new SessionState(tenantId, id, null, new ConcurrentHashMap<>(), new AtomicLong()));
        if (!state.tenantId().equals(tenantId)) {
            return false;
        }
        state.samplesPerTrack().merge(track, (long) samples, Long::sum);
        return true;
    }

    /** Envelope {@code seq} of this instance's next transcript of the session (1, 2, ...). */
    public long nextTranscriptSeq(String tenantId, String sessionId) {
        return sessions.computeIfAbsent(sessionId, id -> new SessionState(tenantId, id, null, new ConcurrentHashMap<>(), new AtomicLong()))
                .transcriptSeq().incrementAndGet();
    }

    public Optional<SessionState> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    public int size() {
        return sessions.size();
    }
}
