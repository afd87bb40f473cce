package io.voicecoach.coaching.nudge;

import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rep's session whose customer is another leg of the call: the customer's speech arrives on the wall clock
 * ({@link NudgeEngine#onFarEndSpeech}) and is placed in the rep's session time by the rep's own transcripts.
 */
class FarEndSpeechTest {

    /** The rep's session time 0 on the gateway's clock. */
    private static final Instant REP_START = Instant.parse("2026-12-07T10:00:00Z");

    private final NudgeEngine engine = new NudgeEngine(NudgeSettings.defaults());
    private final NudgeState rep = engine.newState();
    private Instant eventTime = REP_START;

    @Test
    void turnsWithTheOtherLegGiveNoRatioOrMonologueNudgeAndARealMonologueIsNudgedOnce() {
        engine.onSessionStarted(rep, REP_START);
        for (int turn = 0; turn < 6; turn++) {
            long at = turn * 20_000L;
            assertThat(repSays(at, at + 10_000)).as("turn " + turn).isEmpty();
            assertThat(farEnd(true, at + 10_000, at + 20_000)).isTrue();
        }
        assertThat(rep.customerSpeechInWindowMs()).isEqualTo(60_000);

        assertThat(repSays(120_000, 190_000)).get().extracting(Nudge::type).isEqualTo(Nudge.MONOLOGUE);
        assertThat(repSays(191_000, 200_000)).map(Nudge::type).as("cooling down").isNotEqualTo(Optional.of(Nudge.MONOLOGUE));
    }

    @Test
    void withoutTheOtherLegTheSameTurnsLookLikeTheRepTalkingAlone() {
        var nudges = new java.util.ArrayList<Nudge>();
        for (int turn = 0; turn < 6; turn++) {
            long at = turn * 20_000L;
            repSays(at, at + 10_000).ifPresent(nudges::add);
        }
        assertThat(nudges).extracting(Nudge::type).as("what a rep's session heard before legs were joined")
                .contains(Nudge.MONOLOGUE);
    }

    @Test
    void theOtherLegsSpeechIsPlacedByTheWallClockNotByItsOwnOffsets() {
        engine.onSessionStarted(rep, REP_START);
        repSays(0, 10_000);
        // the rep's session time: 10 s of speech on the clock from REP_START; the customer spoke 12-15 s after it
        farEnd(true, 12_000, 15_000);
        assertThat(rep.talk().nowMs()).isEqualTo(15_000);
        assertThat(rep.customerSpeechInWindowMs()).isEqualTo(3_000);
        // the rep starting while the customer still spoke counts as talking over the customer
        repSays(14_000, 20_000);
        assertThat(rep.talk().repInterruptions()).isEqualTo(1);
    }

    @Test
    void aCustomerUtteranceCountedAfterTheRepsNextOneStillEndsTheMonologueBeforeIt() {
        engine.onSessionStarted(rep, REP_START);
        repSays(0, 30_000);
        repSays(35_000, 50_000);
        farEnd(true, 30_000, 34_000); // arrives late, through the other leg
        assertThat(rep.talk().monologueMs()).as("since the rep's utterance after the customer's").isEqualTo(15_000);
        assertThat(repSays(51_000, 90_000)).as("55 s: no monologue yet").map(Nudge::type)
                .isNotEqualTo(Optional.of(Nudge.MONOLOGUE));
    }

    @Test
    void theOtherLegsPartialEndsTheRepsMonologueGoingOn() {
        engine.onSessionStarted(rep, REP_START);
        repPartial("u1", 0, 50_000);
        assertThat(engine.liveMonologue(rep, false)).isPresent();

        farEnd(false, 51_000, 52_000);
        assertThat(engine.liveMonologue(rep, false)).isEmpty();
        assertThat(rep.talk().liveRep()).isNull();
    }

    @Test
    void aSessionThatHearsTheCustomerItselfTakesNothingFromAnotherLeg() {
        engine.onSessionStarted(rep, REP_START);
        engine.onFinalTranscript(rep, false, transcript(Track.CUSTOMER, "Hello?", true, 0, 1_000), eventTime);
        assertThat(farEnd(true, 2_000, 10_000)).isFalse();
        assertThat(rep.customerSpeechInWindowMs()).isEqualTo(1_000);
    }

    @Test
    void beforeItsOwnTimeIsKnownNothingIsRecorded() {
        assertThat(farEnd(true, 0, 5_000)).as("no session.started, no transcript of its own").isFalse();
        engine.onSessionStarted(rep, REP_START);
        assertThat(farEnd(true, 0, 5_000)).isTrue();
        assertThat(rep.customerSpeechInWindowMs()).isEqualTo(5_000);
    }

    private Optional<Nudge> repSays(long startMs, long endMs) {
        eventTime = eventTime.plusSeconds(1);
        return engine.onFinalTranscript(rep, false, transcript(Track.AGENT, "So here is what we do.", true, startMs,
                endMs), eventTime);
    }

    private void repPartial(String utteranceId, long startMs, long endMs) {
        var partial = new Transcript(utteranceId, Track.AGENT, "so what we do", false, startMs, endMs, 0.8, "text",
                REP_START.plusMillis(endMs));
        engine.onPartialTranscript(rep, false, partial, UUID.randomUUID(), eventTime);
    }

    /** Customer speech another leg heard from {@code startMs} to {@code endMs} after REP_START, on the clock. */
    private boolean farEnd(boolean isFinal, long startMs, long endMs) {
        return engine.onFarEndSpeech(rep, "item_" + UUID.randomUUID(), isFinal, REP_START.plusMillis(startMs),
                REP_START.plusMillis(endMs));
    }

    private static Transcript transcript(String track, String text, boolean isFinal, long startMs, long endMs) {
        return new Transcript("item_" + UUID.randomUUID(), track, text, isFinal, startMs, endMs, 1.0, "pocketsphinx",
                REP_START.plusMillis(endMs));
    }
}
