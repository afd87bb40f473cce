package io.voicecoach.coaching.nudge;

import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The nudges a session's talk pattern calls for, as a function of its {@link NudgeState} and the next final
 * transcript: talk time per track, monologue, questions, interruptions, and cool-downs so the rep is not spammed. A
 * nudge type fires at most once per {@code cooldown} per session; an objection category is suggested at most once per
 * {@code repeatCooldown}. Talk measures use transcript offsets (session time); cool-downs use event time (the
 * transcript's envelope {@code occurredAt}), never the wall clock, so the same events give the same nudges. A monologue
 * is also seen while it goes on: on the rep's partial transcripts, and, between them, by the session timer at the event
 * time the rep's speech reaches the threshold if it goes on as its latest partial saw it ({@link #liveMonologueDue}).
 * Sessions in
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
        talk.own(transcript);
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

    /**
     * Records a partial transcript and returns the monologue nudge when the rep's speech going on reaches the threshold
     * (and the monologue nudge is not cooling down).
     */
    public Optional<Nudge> onPartialTranscript(NudgeState state, boolean agentMode, Transcript partial, UUID eventId,
                                               Instant eventTime) {
        if (!settings.enabled() || partial == null || !Track.isValid(partial.track())) {
            return Optional.empty();
        }
        var talk = state.talk();
        talk.own(partial);
        talk.partial(partial, eventId, eventTime);
        if (agentMode || talk.liveRep() == null) {
            return Optional.empty();
        }
        long monologue = talk.liveMonologueMs(talk.liveRep().endMs());
        if (monologue >= settings.monologue().toMillis()
                && state.coolDown(Nudge.MONOLOGUE, eventTime, settings.cooldown())) {
            return Optional.of(Nudge.monologue(monologue / 1000));
        }
        return Optional.empty();
    }

    /**
     * When the rep's speech going on reaches the monologue threshold, in event time, if it goes on as its latest
     * partial saw it for at most {@code liveExtrapolation}; empty when no rep speech goes on, the nudge would cool
     * down then, or it lies beyond that bound.
     */
    public Optional<LiveMonologue> liveMonologue(NudgeState state, boolean agentMode) {
        var live = state.talk().liveRep();
        if (!settings.enabled() || agentMode || live == null) {
            return Optional.empty();
        }
        long remaining = settings.monologue().toMillis() - state.talk().liveMonologueMs(live.endMs());
        if (remaining <= 0 || remaining > settings.liveExtrapolation().toMillis()) {
            return Optional.empty();
        }
        var due = live.eventTime().plusMillis(remaining);
        return state.coolingDown(Nudge.MONOLOGUE, due, settings.cooldown()) ? Optional.empty()
                : Optional.of(new LiveMonologue(due, live.utteranceId(), live.eventId(), live.receivedAt()));
    }

    /** The monologue nudge {@link #liveMonologue} foresaw, once its time came: the cool-down is marked at its due time. */
    public Optional<Nudge> onLiveMonologueDue(NudgeState state, LiveMonologue live) {
        if (!state.coolDown(Nudge.MONOLOGUE, live.due(), settings.cooldown())) {
            return Optional.empty();
        }
        return Optional.of(Nudge.monologue(settings.monologue().toSeconds()));
    }

    /** The session started at {@code at} (its envelope's {@code occurredAt}): its session time until a transcript's. */
    public void onSessionStarted(NudgeState state, Instant at) {
        state.talk().startedAt(at);
    }

    /**
     * The customer's speech heard by another leg of the session's call ({@code startAt}..{@code endAt}, wall clock, a
     * final utterance or a partial one going on): counted as this session's far end, so the rep's talk share and
     * monologue are measured against it. No nudge comes of it (the next rep utterance, partial or the timer judges).
     * Ignored when the session carries the customer's track itself, or before its session time is known.
     *
     * @return whether it was recorded
     */
    public boolean onFarEndSpeech(NudgeState state, String utteranceId, boolean isFinal, Instant startAt,
                                  Instant endAt) {
        if (!settings.enabled() || state.talk().ownCustomer() || startAt == null || endAt == null) {
            return false;
        }
        return state.talk().farEnd(utteranceId, isFinal, startAt, endAt);
    }

    /** True when {@code kind/category} was not suggested in this session within the repeat cool-down (and marks it). */
    public boolean firstInCooldown(NudgeState state, String kind, String category, Instant eventTime) {
        return state.coolDown(kind + "/" + category, eventTime, settings.repeatCooldown());
    }
}
