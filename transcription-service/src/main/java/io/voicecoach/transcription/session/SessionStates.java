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

    /** What {@link #audio} decided about a chunk. */
    public enum Admission {
        /** Counted; decode it. */
        ACCEPTED,
        /** The session belongs to another tenant: refuse the chunk. */
        FOREIGN_TENANT,
        /** The session sends faster than {@code max-audio-rate} allows: drop the chunk. */
        TOO_FAST
    }

    /** Utterance ids of a session that were refused (too long, too fast) whose later chunks are dropped. */
    static final int REFUSED_UTTERANCES = 16;

    private static final class State {
        final String tenantId;
        final int partition;
        final Map<String, Long> samplesPerTrack = new HashMap<>();
        final Set<String> refusedEngines = new HashSet<>();
        final LinkedHashMap<String, String> refusedUtterances = new LinkedHashMap<>();
        long transcriptSeq;
        long touchedNanos;
        /** Milliseconds of audio the session may still send at once, and the {@code vc-received-at} they were counted at. */
        double allowanceMs = Double.NaN;
        long allowanceAtMs;

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
    private final double maxRate;
    private final double burstMs;

    @Inject
    public SessionStates(SttConfig config, MeterRegistry meters) {
        this(config.sessionTtl(), config.maxSessions(), System::nanoTime, config.maxAudioRate(), config.audioRateBurst());
        Gauge.builder("voicecoach.stt.sessions", this, SessionStates::size)
                .description("Sessions of owned voice.audio partitions this instance keeps state for").register(meters);
    }

    public SessionStates(Duration ttl, int maxSessions, LongSupplier nanoClock) {
        this(ttl, maxSessions, nanoClock, 0, Duration.ZERO);
    }

    /** @param maxRate audio per received time, 1 = real time; 0 = no limit */
    public SessionStates(Duration ttl, int maxSessions, LongSupplier nanoClock, double maxRate, Duration burst) {
        this.ttlNanos = ttl.toNanos();
        this.maxSessions = maxSessions;
        this.nanoClock = nanoClock;
        this.maxRate = maxRate;
        this.burstMs = burst.toMillis();
    }

    /**
     * Counts a chunk of audio, opening the session's state on its first chunk here.
     *
     * @return false when the session belongs to another tenant (the chunk is refused, nothing changes)
     */
    public synchronized boolean audio(String tenantId, String sessionId, int partition, String track, int samples) {
        return admit(tenantId, sessionId, partition, track, samples, -1) == Admission.ACCEPTED;
    }

    /**
     * Counts a chunk of audio received (by the gateway) at {@code receivedAtMs}, against the session's rate: a token
     * bucket of {@code burst} milliseconds of audio, refilled at {@code max-audio-rate} per millisecond of received
     * time. A chunk beyond it is not counted and changes nothing.
     *
     * @param receivedAtMs the chunk's {@code vc-received-at}; negative = do not check the rate
     */
    public synchronized Admission admit(String tenantId, String sessionId, int partition, String track, int samples,
                                        long receivedAtMs) {
        var state = touch(tenantId, sessionId, partition);
        if (!state.tenantId.equals(tenantId)) {
            return Admission.FOREIGN_TENANT;
        }
        if (maxRate > 0 && receivedAtMs >= 0) {
            double durationMs = samples * 1000.0 / AudioHeaders.SAMPLE_RATE;
            double allowance = Double.isNaN(state.allowanceMs) ? burstMs
                    : Math.min(burstMs, state.allowanceMs + Math.max(0, receivedAtMs - state.allowanceAtMs) * maxRate);
            state.allowanceAtMs = Double.isNaN(state.allowanceMs) ? receivedAtMs
                    : Math.max(state.allowanceAtMs, receivedAtMs);
            if (durationMs > allowance) {
                state.allowanceMs = allowance;
                return Admission.TOO_FAST;
            }
            state.allowanceMs = allowance - durationMs;
        }
        state.samplesPerTrack.merge(track, (long) samples, Long::sum);
        return Admission.ACCEPTED;
    }

    /** Remembers that the session's utterance was refused with {@code code}: its later chunks are dropped. */
    public synchronized void refuseUtterance(String tenantId, String sessionId, int partition, String utteranceId,
                                             String code) {
        var refused = touch(tenantId, sessionId, partition).refusedUtterances;
        refused.put(utteranceId, code);
        while (refused.size() > REFUSED_UTTERANCES) {
            refused.pollFirstEntry();
        }
    }

    /** Whether the session's utterance was refused here (too long, too fast). */
    public synchronized boolean refused(String sessionId, String utteranceId) {
        expire();
        var state = sessions.get(sessionId);
        return state != null && state.refusedUtterances.containsKey(utteranceId);
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
