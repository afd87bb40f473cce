package io.voicecoach.coaching.nudge;

import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Instant;
import java.util.Optional;

/**
 * The nudges a session's talk pattern calls for, as a function of its {@link NudgeState} and the next final
 * transcript: talk time per track, monologue, questions, interruptions, and cool-downs so the rep is not spammed. A
 * nudge type fires at most once per {@code cooldown} per session; an objection category is suggested at most once per
 * {@code repeatCooldown}. Talk measures use transcript offsets (session time); cool-downs use event time (the
 * transcript's envelope {@code occurredAt}), never the wall clock, so the same events give the same nudges. Sessions in
 * {@code agent} mode get no nudges. Stateless itself: the state is the caller's.
 */
public final class NudgeEngine {

    private final NudgeSettings settings;

    public NudgeEngine(NudgeSettings settings) {
        this.settings = settings;
    }

    /** A session's state before its first utterance. */
    public NudgeState newState() {
        return new NudgeState(settings.window().toMillis());
    }

    /**
     * Records the utterance and returns the most urgent nudge it calls for that is not cooling down, if any.
     *
     * @param eventTime when the transcript was published (its envelope's {@code occurredAt})
     */
    public Optional<Nudge> onFinalTranscript(NudgeState state, boolean agentMode, Transcript transcript,
                                             Instant eventTime) {
        if (!settings.enabled() || transcript == null || !Track.isValid(transcript.track())) {
            return Optional.empty();
        }
        var talk = state.talk();
        talk.add(transcript);
        if (agentMode || !Track.AGENT.equals(transcript.track())) {
            return Optional.empty();
        }
        if (talk.monologueMs() >= settings.monologue().toMillis()
                && state.coolDown(Nudge.MONOLOGUE, eventTime, settings.cooldown())) {
            return Optional.of(Nudge.monologue(talk.monologueMs() / 1000));
        }
        if (talk.repInterruptions() >= settings.maxInterruptions()
                && state.coolDown(Nudge.INTERRUPTIONS, eventTime, settings.cooldown())) {
            int times = talk.repInterruptions();
            talk.resetInterruptions();
            return Optional.of(Nudge.interruptions(times));
        }
        if (talk.speechInWindowMs() >= settings.minSpeech().toMillis() && talk.repShare() > settings.maxRepShare()
                && state.coolDown(Nudge.TALK_RATIO, eventTime, settings.cooldown())) {
            return Optional.of(Nudge.talkRatio((int) Math.round(talk.repShare() * 100)));
        }
        if (talk.nowMs() >= settings.questionsAfter().toMillis() && talk.repQuestions() < settings.minQuestions()
                && state.coolDown(Nudge.FEW_QUESTIONS, eventTime, settings.cooldown())) {
            return Optional.of(Nudge.fewQuestions(talk.repQuestions()));
        }
        return Optional.empty();
    }

    /** True when {@code kind/category} was not suggested in this session within the repeat cool-down (and marks it). */
    public boolean firstInCooldown(NudgeState state, String kind, String category, Instant eventTime) {
        return state.coolDown(kind + "/" + category, eventTime, settings.repeatCooldown());
    }
}
