package io.voicecoach.transcription.stt;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per-session decoder state on this instance: which tenant owns the session, how much audio of each track has
 * arrived, and the session's recognition settings ({@code session.started}, then each {@code session.updated}).
 * The STT engines keep their state beside it.
 */
@ApplicationScoped
public class SessionRegistry {

    /** Session metadata key with a comma-separated phrase list for this session only. */
    public static final String SESSION_PHRASES = "stt.phrases";
    /** Session metadata key naming the session's engine at start (same names as {@code session.updated}). */
    public static final String SESSION_ENGINE = "stt.engine";

    /**
     * What the session asked for; null fields fall back to the tenant's settings.
     *
     * @param engine  engine name as the client sent it (may be unknown; the selector decides)
     * @param phrases the session's own phrase list (the tenant's is added to it)
     */
    public record Settings(String engine, String language, List<String> phrases) {
        static final Settings NONE = new Settings(null, null, List.of());
    }

    public record SessionState(String tenantId, String sessionId, SessionStarted started, Map<String, Long> samplesPerTrack,
                               AtomicLong transcriptSeq, AtomicReference<Settings> settings, Set<String> reportedEngines) {
        public long audioMillis(String track) {
            return samplesPerTrack.getOrDefault(track, 0L) * 1000 / AudioHeaders.SAMPLE_RATE;
        }

        /**
         * Remembers that {@code engine} was refused for this session.
         *
         * @return true the first time only
         */
        public boolean firstRefusalOf(String engine) {
            return reportedEngines.add(String.valueOf(engine));
        }
    }

    private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();

    /** Audio and session events travel on different topics, so audio may open the state before this arrives. */
    public void started(String tenantId, String sessionId, SessionStarted started) {
        var state = open(tenantId, sessionId);
        if (!state.tenantId().equals(tenantId)) {
            return;
        }
        var metadata = started.metadata() == null ? Map.<String, String>of() : started.metadata();
        var fromStart = new Settings(blankToNull(metadata.get(SESSION_ENGINE)), blankToNull(started.language()),
                phrases(metadata.get(SESSION_PHRASES)));
        sessions.computeIfPresent(sessionId, (id, s) -> new SessionState(s.tenantId(), id, started, s.samplesPerTrack(),
                s.transcriptSeq(), s.settings(), s.reportedEngines()));
        // an update may have arrived first (audio opened the state): it wins field by field
        state.settings().updateAndGet(current -> current == Settings.NONE ? fromStart : new Settings(
                current.engine() != null ? current.engine() : fromStart.engine(),
                current.language() != null ? current.language() : fromStart.language(),
                current.phrases().isEmpty() ? fromStart.phrases() : current.phrases()));
    }

    /**
     * Applies a {@code session.updated}: a non-null engine or language replaces the current one, a non-null phrase
     * list replaces the session's list (an empty list clears it).
     *
     * @return the session's state, or empty when the session belongs to another tenant (the update is ignored)
     */
    public Optional<SessionState> updated(String tenantId, String sessionId, SessionUpdated update) {
        var state = open(tenantId, sessionId);
        if (!state.tenantId().equals(tenantId)) {
            return Optional.empty();
        }
        state.settings().updateAndGet(current -> new Settings(
                update.transcriptionEngine() != null && !update.transcriptionEngine().isBlank() ? update.transcriptionEngine().strip() : current.engine(),
                update.language() != null && !update.language().isBlank() ? update.language() : current.language(),
                update.phrases() != null ? clean(update.phrases()) : current.phrases()));
        return Optional.of(state);
    }

    public void ended(String sessionId) {
        sessions.remove(sessionId);
    }

    /**
     * Counts a chunk of audio. Audio for a session this instance has not seen start (a rebalance moved it here)
     * opens the state on the spot; a chunk whose tenant differs from the session's owner is refused.
     */
    public boolean audio(String tenantId, String sessionId, String track, int samples) {
        var state = open(tenantId, sessionId);
        if (!state.tenantId().equals(tenantId)) {
            return false;
        }
        state.samplesPerTrack().merge(track, (long) samples, Long::sum);
        return true;
    }

    /** Envelope {@code seq} of this instance's next transcript of the session (1, 2, ...). */
    public long nextTranscriptSeq(String tenantId, String sessionId) {
        return open(tenantId, sessionId).transcriptSeq().incrementAndGet();
    }

    public Optional<SessionState> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    public Settings settings(String sessionId) {
        return find(sessionId).map(s -> s.settings().get()).orElse(Settings.NONE);
    }

    public int size() {
        return sessions.size();
    }

    private SessionState open(String tenantId, String sessionId) {
        return sessions.computeIfAbsent(sessionId, id -> new SessionState(tenantId, id, null, new ConcurrentHashMap<>(),
                new AtomicLong(), new AtomicReference<>(Settings.NONE), ConcurrentHashMap.newKeySet()));
    }

    static List<String> phrases(String commaSeparated) {
        return commaSeparated == null ? List.of() : clean(List.of(commaSeparated.split(",")));
    }

    private static List<String> clean(List<String> phrases) {
        var out = new ArrayList<String>();
        for (String phrase : phrases) {
            if (phrase != null && !phrase.isBlank()) {
                out.add(phrase.strip());
            }
        }
        return List.copyOf(out);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
