package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A spoken call's record, filled by hand, and what the level makes of it. */
class LevelSamplesTest {

    private static final long MS = 1_000_000;
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final EpochClock clock = new EpochClock(0, T0);

    /** Frame k of the call was sent at k x 100 ms, exactly. */
    private static CallRecord call() {
        var call = new CallRecord("call_1", true, false, 500);
        for (int frame = 0; frame < 200; frame++) {
            call.frameSent(frame, frame * 100 * MS);
        }
        return call;
    }

    private static CallRecord.Turn turn(CallRecord call, int number, String track, long startMs, long endMs,
                                        String kind, String category) {
        var turn = new CallRecord.Turn(new Script.Turn(number, track, "words", kind, category), (int) (startMs / 100),
                startMs, endMs, null);
        turn.sentNanos = call.sentAt(endMs - 1);
        call.turns.add(turn);
        return turn;
    }

    private static CallRecord.Utterance utterance(CallRecord call, String item, String track, long startMs,
                                                  long endMs) {
        var utterance = call.utterance(item);
        utterance.track = track;
        utterance.audioStartMs = startMs;
        utterance.audioEndMs = endMs;
        return utterance;
    }

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    @Test
    void aSuggestionIsTimedFromTheFrameHoldingTheLastSpeechSample() {
        var call = call();
        turn(call, 1, Script.AGENT, 0, 2_000, null, null);
        var objection = turn(call, 2, Script.CUSTOMER, 2_800, 5_250, "objection", "price");
        var said = utterance(call, "item_c1", Script.CUSTOMER, 2_500, 5_760);
        said.stoppedNanos = 5_800 * MS;
        said.committedNanos = 5_810 * MS;
        said.transcriptNanos = 6_400 * MS;
        // stopped speaking at 5,250 ms: sample 5,249 is in frame 52, sent at 5,200 ms
        call.suggestions.put("s1", new CallRecord.Suggestion("s1", "item_c1", "objection", "price", "rules",
                6_500 * MS, at(5_790), at(6_350), at(6_380)));

        assertThat(call.turnOf("item_c1")).isSameAs(objection);
        assertThat(call.stoppedSpeakingNanos("item_c1", objection)).isEqualTo(5_200 * MS);

        var samples = new LevelSamples(0, 100_000 * MS);
        samples.add(call, clock);
        var hops = samples.summaries();
        assertThat(hops.get(Hop.END_TO_END).p50()).isEqualTo(1_300.0);
        assertThat(hops.get(Hop.STOP_TO_GATEWAY_COMMIT).p50()).isEqualTo(590.0);
        assertThat(hops.get(Hop.COMMIT_TO_TRANSCRIPT).p50()).isEqualTo(560.0);
        assertThat(hops.get(Hop.TRANSCRIPT_TO_SUGGESTION).p50()).isEqualTo(30.0);
        assertThat(hops.get(Hop.SUGGESTION_TO_SCREEN).p50()).isEqualTo(120.0);
        assertThat(hops.get(Hop.TRANSCRIPT_TO_SCREEN).p50()).isEqualTo(150.0);
        assertThat(hops.get(Hop.SPEECH_END_TO_STOPPED).p50()).isEqualTo(600.0);
        assertThat(hops.get(Hop.COMMITTED_TO_TRANSCRIPT_SEEN).p50()).isEqualTo(590.0);
        assertThat(samples.detection().matched()).isEqualTo(1);
        assertThat(samples.deliveries()).extracting(LevelSamples.Delivery::suggestionId).containsExactly("s1");
        assertThat(samples.calls()).isEqualTo(1);
    }

    @Test
    void anUtteranceTheVadEndedInsideTheTurnIsTimedFromItsOwnEnd() {
        var call = call();
        var turn = turn(call, 2, Script.CUSTOMER, 1_000, 6_000, "objection", "price");
        utterance(call, "first_half", Script.CUSTOMER, 700, 3_900); // speech to 3,400 ms, then 500 ms of silence
        utterance(call, "second_half", Script.CUSTOMER, 3_600, 6_520);

        assertThat(call.turnOf("first_half")).isSameAs(turn);
        assertThat(call.stoppedSpeakingNanos("first_half", turn)).isEqualTo(3_300 * MS);
        assertThat(call.stoppedSpeakingNanos("second_half", turn)).isEqualTo(5_900 * MS);
    }

    @Test
    void utterancesBelongToTheTurnOfTheirTrackTheyOverlapMost() {
        var call = call();
        var agent = turn(call, 1, Script.AGENT, 0, 3_000, null, null);
        var customer = turn(call, 2, Script.CUSTOMER, 2_500, 6_000, null, null);
        utterance(call, "a", Script.AGENT, 0, 3_700);
        utterance(call, "c", Script.CUSTOMER, 2_400, 6_600);
        utterance(call, "noise", Script.CUSTOMER, 9_000, 9_800);

        assertThat(call.turnOf("a")).isSameAs(agent);
        assertThat(call.turnOf("c")).isSameAs(customer);
        assertThat(call.turnOf("noise")).isNull();
        assertThat(call.turnOf("unknown")).isNull();
        assertThat(call.turnOf(null)).isNull();
    }

    @Test
    void onlyTurnsInsideTheWindowCountAndEveryOutcomeIsCounted() {
        var call = call();
        var early = turn(call, 2, Script.CUSTOMER, 0, 1_000, "objection", "price");
        var wrong = turn(call, 4, Script.CUSTOMER, 3_000, 4_000, "objection", "timing");
        turn(call, 6, Script.CUSTOMER, 6_000, 7_000, "objection", "need");
        var rep = turn(call, 7, Script.AGENT, 8_000, 9_000, null, null);
        utterance(call, "u_early", Script.CUSTOMER, 0, 1_500);
        utterance(call, "u_wrong", Script.CUSTOMER, 2_900, 4_500);
        utterance(call, "u_missed", Script.CUSTOMER, 5_900, 7_500);
        utterance(call, "u_rep", Script.AGENT, 7_900, 9_500);
        call.suggestions.put("s_early", new CallRecord.Suggestion("s_early", "u_early", "objection", "price", "rules",
                1_900 * MS, null, null, null));
        call.suggestions.put("s_wrong", new CallRecord.Suggestion("s_wrong", "u_wrong", "objection", "price", "rules",
                4_900 * MS, null, null, null));
        call.suggestions.put("s_nudge", new CallRecord.Suggestion("s_nudge", "u_rep", "nudge", "monologue", "rules",
                9_700 * MS, null, null, null));

        var samples = new LevelSamples(2_000 * MS, 100_000 * MS);
        samples.add(call, clock);

        assertThat(early.sentNanos).isLessThan(2_000 * MS);
        var detection = samples.detection();
        assertThat(detection.expected()).isEqualTo(2);
        assertThat(detection.matched()).isZero();
        assertThat(detection.otherCategory()).isEqualTo(1);
        assertThat(detection.missed()).isEqualTo(1);
        assertThat(detection.unexpectedByKind()).containsEntry("nudge", 1);
        assertThat(samples.summary(Hop.END_TO_END).count()).as("only the customer turn in the window").isEqualTo(1);
        assertThat(samples.summary(Hop.END_TO_END).p50()).isEqualTo(1_000.0);
        assertThat(wrong.sentNanos).isEqualTo(3_900 * MS);
        assertThat(rep.script.expectsSuggestion()).isFalse();
    }

    @Test
    void voiceAgentRepliesAreTimedFromTheCallerStopping() {
        var call = new CallRecord("call_a", false, true, 500);
        var turn = new CallRecord.Turn(new Script.Turn(1, Script.CUSTOMER, "book it", null, null), 0, 0, 400, "t1");
        turn.sentNanos = 1_000 * MS;
        turn.reply = new CallRecord.Reply("resp_1", 1_050 * MS);
        turn.reply.firstDeltaNanos = 1_240 * MS;
        turn.reply.doneNanos = 2_000 * MS;
        turn.reply.status = "completed";
        turn.reply.functionCalls = 3;
        call.turns.add(turn);
        var unanswered = new CallRecord.Turn(new Script.Turn(2, Script.CUSTOMER, "hello?", null, null), 30, 3_000,
                3_400, "t2");
        unanswered.sentNanos = 3_400 * MS;
        call.turns.add(unanswered);

        var samples = new LevelSamples(0, 100_000 * MS);
        samples.add(call, clock);

        assertThat(samples.summary(Hop.AGENT_CREATED).p50()).isEqualTo(50.0);
        assertThat(samples.summary(Hop.AGENT_FIRST_DELTA).p50()).isEqualTo(240.0);
        assertThat(samples.summary(Hop.AGENT_DONE).p50()).isEqualTo(1_000.0);
        var replies = samples.replies();
        assertThat(replies.turns()).isEqualTo(2);
        assertThat(replies.answered()).isEqualTo(1);
        assertThat(replies.missing()).isEqualTo(1);
        assertThat(replies.functionCalls()).isEqualTo(3);
        assertThat(replies.byStatus()).containsEntry("completed", 1);
    }
}
