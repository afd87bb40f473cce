package io.voicecoach.coaching.nudge;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-session coaching state: talk time per track, the nudges it calls for, and cool-downs so the rep is not
 * spammed. A nudge type fires at most once per {@code cooldown} per session; an objection category is suggested at
 * most once per {@code repeatCooldown}. Talk measures use transcript offsets (session time);
 * cool-downs use the wall clock. Sessions in {@code agent} mode get no nudges. Thread-safe.
 */
public final class NudgeEngine {

    private static final String AGENT_MODE = "agent";

    private final NudgeSettings settings;
    private final Clock clock;
    private final BoundedLru<String, SessionState> sessions;

    public NudgeEngine(NudgeSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.sessions = new BoundedLru<>(settings.sessionCapacity());
    }

    public void started(String tenantId, String sessionId, SessionStarted started) {
        var state = state(tenantId, sessionId);
        synchronized (state) {
            state.agentMode = started != null && AGENT_MODE.equals(started.mode());
        }
    }

    /** Whether the session is known and in agent mode (no nudges). */
    public boolean inAgentMode(String tenantId, String sessionId) {
        var state = sessions.get(key(tenantId, sessionId));
        if (state == null) {
            return false;
        }
        synchronized (state) {
            return state.agentMode;
        }
    }

    public void ended(String tenantId, String sessionId) {
        sessions.remove(key(tenantId, sessionId));
    }

    /** Records the utterance and returns the most urgent nudge it calls for that is not cooling down, if any. */
    public Optional<Nudge> onFinalTranscript(String tenantId, String sessionId, Transcript transcript) {
        if (!settings.enabled() || transcript == null || !Track.isValid(transcript.track())) {
            return Optional.empty();
        }
        var state = state(tenantId, sessionId);
        synchronized (state) {
            state.talk.add(transcript);
            if (state.agentMode || !Track.AGENT.equals(transcript.track())) {
                return Optional.empty();
            }
            var talk = state.talk;
            var now = clock.instant();
            if (talk.monologueMs() >= settings.monologue().toMillis()
                    && state.coolDown(Nudge.MONOLOGUE, now, settings.cooldown())) {
                return Optional.of(Nudge.monologue(talk.monologueMs() / 1000));
            }
            if (talk.repInterruptions() >= settings.maxInterruptions()
                    && state.coolDown(Nudge.INTERRUPTIONS, now, settings.cooldown())) {
                int times = talk.repInterruptions();
                talk.resetInterruptions();
                return Optional.of(Nudge.interruptions(times));
            }
            if (talk.speechInWindowMs() >= settings.minSpeech().toMillis() && talk.repShare() > settings.maxRepShare()
                    && state.coolDown(Nudge.TALK_RATIO, now, settings.cooldown())) {
                return Optional.of(Nudge.talkRatio((int) Math.round(talk.repShare() * 100)));
            }
            if (talk.nowMs() >= settings.questionsAfter().toMillis() && talk.repQuestions() < settings.minQuestions()
                    && state.coolDown(Nudge.FEW_QUESTIONS, now, settings.cooldown())) {
                return Optional.of(Nudge.fewQuestions(talk.repQuestions()));
            }
            return Optional.empty();
        }
    }

    /** True when {@code kind/category} was not suggested in this session within the repeat cool-down (and marks it). */
    public boolean firstInCooldown(String tenantId, String sessionId, String kind, String category) {
        var state = state(tenantId, sessionId);
        synchronized (state) {
            return state.coolDown(kind + "/" + category, clock.instant(), settings.repeatCooldown());
        }
    }

    private SessionState state(String tenantId, String sessionId) {
        return sessions.computeIfAbsent(key(tenantId, sessionId), k -> new SessionState(settings.window().toMillis()));
    }

    private static String key(String tenantId, String sessionId) {
        return tenantId + "/" + sessionId;
    }

    private static final class SessionState {
        final TalkTracker talk;
        final Map<String, Instant> lastFired = new HashMap<>();
        boolean agentMode;

        SessionState(long windowMs) {
            this.talk = new TalkTracker(windowMs);
        }

        /** True, and remembers now, when {@code what} last fired at least {@code cooldown} ago or never. */
        boolean coolDown(String what, Instant now, java.time.Duration cooldown) {
            var last = lastFired.get(what);
            if (last != null && now.isBefore(last.plus(cooldown))) {
                return false;
            }
            lastFired.put(what, now);
            return true;
        }
    }
}
