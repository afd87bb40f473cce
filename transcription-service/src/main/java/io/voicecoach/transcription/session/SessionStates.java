package io.voicecoach.transcription.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.transcription.stt.SttConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What this instance remembers per session, only for sessions of the {@code voice.audio} partitions it owns: the
 * tenant that owns the session (a chunk claiming it for another tenant is refused), seconds of audio per track, the
 * envelope {@code seq} of its transcripts and the engine names already reported unavailable. Decoding needs none of
 * it (the settings come with each utterance's first chunk), so it is not rebuilt when a partition moves: it is
 * dropped with the partition and starts afresh on the new owner. A session untouched for {@code session-ttl} is
 * forgotten, and beyond {@code max-sessions} the least recently touched session goes.
 */
@ApplicationScoped
public class SessionStates {

    private static final class State {
        final String tenantId;
        final int partition;
        final Map<String, Long> samplesPerTrack = new HashMap<>();
        final Set<String> refusedEngines = new HashSet<>();
        long transcriptSeq;
        long touchedNanos;

        State(String tenantId, int partition) {
            this.tenantId = tenantId;
            this.partition = partition;
        }
    }

    /** Ordered by last touch: a touch moves the session to the end, so expiry and eviction look at the front. */
    private final LinkedHashMap<String, State> sessions = new LinkedHashMap<>();
    private final long ttlNanos;
    private final int maxSessions;
    private final LongSupplier nanoClock;

    @Inject
    public SessionStates(SttConfig config, MeterRegistry meters) {
        this(config.sessionTtl(), config.maxSessions(), System::nanoTime);
        Gauge.builder("voicecoach.stt.sessions", this, SessionStates::size)
                .description("Sessions of owned voice.audio partitions this instance keeps state for").register(meters);
    }

    public SessionStates(Duration ttl, int maxSessions, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxSessions = maxSessions;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts a chunk of audio, opening the session's state on its first chunk here.
     *
     * @return false when the session belongs to another tenant (the chunk is refused, nothing changes)
     */
    public synchronized boolean audio(String tenantId, String sessionId, int partition, String track, int samples) {
        var state = touch(tenantId, sessionId, partition);
        if (!state.tenantId.equals(tenantId)) {
            return false;
        }
        state.samplesPerTrack.merge(track, (long) samples, Long::sum);
        return true;
    }

    /** Envelope {@code seq} of this instance's next transcript of the session (1, 2, ...; again 1 after a move). */
    public synchronized long nextTranscriptSeq(String tenantId, String sessionId, int partition) {
        return ++touch(tenantId, sessionId, partition).transcriptSeq;
    }

    /** @return true the first time {@code engine} is refused for the session while this instance holds its state */
    public synchronized boolean firstRefusal(String tenantId, String sessionId, int partition, String engine) {
        return touch(tenantId, sessionId, partition).refusedEngines.add(engine);
    }

    /** Audio of the track counted here, empty when this instance keeps no state for the session. */
    public synchronized OptionalLong audioMillis(String sessionId, String track) {
        expire();
        var state = sessions.get(sessionId);
        return state == null ? OptionalLong.empty()
                : OptionalLong.of(state.samplesPerTrack.getOrDefault(track, 0L) * 1000 / AudioHeaders.SAMPLE_RATE);
    }

    public synchronized boolean contains(String sessionId) {
        expire();
        return sessions.containsKey(sessionId);
    }

    public synchronized int size() {
        expire();
        return sessions.size();
    }

    /**
     * Forgets the sessions of partitions this instance no longer owns.
     *
     * @return how many sessions were dropped
     */
    public synchronized int drop(Collection<Integer> partitions) {
        int before = sessions.size();
        sessions.values().removeIf(state -> partitions.contains(state.partition));
        return before - sessions.size();
    }

    private State touch(String tenantId, String sessionId, int partition) {
        expire();
        var state = sessions.remove(sessionId);
        if (state == null) {
            state = new State(tenantId, partition);
            while (sessions.size() >= maxSessions) {
                sessions.pollFirstEntry();
            }
        }
        state.touchedNanos = nanoClock.getAsLong();
        sessions.put(sessionId, state);
        return state;
    }

    private void expire() {
        long now = nanoClock.getAsLong();
        for (var it = sessions.values().iterator(); it.hasNext(); ) {
            if (now - it.next().touchedNanos < ttlNanos) {
                return;
            }
            it.remove();
        }
    }
}
