package io.voicecoach.coaching.nudge;

import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine over per-session states as the session processor keeps them; the clock gives the events' time. */
class NudgeEngineTest {

    private static final String TENANT = "demo";

    private final MutableClock clock = new MutableClock();
    private final NudgeEngine engine = new NudgeEngine(NudgeSettings.defaults());
    private final Map<String, NudgeState> states = new HashMap<>();
    private final Set<String> agentSessions = new HashSet<>();

    @Test
    void aRepTalkingMoreThanAMinuteWithoutTheCustomerGetsAMonologueNudgeOnce() {
        assertThat(say("s1", Track.CUSTOMER, "Tell me about it.", 0, 2_000)).isEmpty();
        assertThat(say("s1", Track.AGENT, "So our platform does three things.", 3_000, 30_000)).isEmpty();
        var nudge = say("s1", Track.AGENT, "And the second thing is reporting.", 31_000, 65_000);

        assertThat(nudge).get().extracting(Nudge::type, Nudge::priority).containsExactly(Nudge.MONOLOGUE, 2);
        assertThat(nudge.get().title()).contains("62 s");
        clock.advance(Duration.ofSeconds(30));
        assertThat(say("s1", Track.AGENT, "And the third is coaching.", 66_000, 90_000))
                .as("cooling down: not the monologue again").map(Nudge::type).isNotEqualTo(Optional.of(Nudge.MONOLOGUE));
    }

    @Test
    void aRepWhoKeepsTalkingOverTheCustomerIsNudgedAtTheThirdTime() {
        var fired = new ArrayList<Nudge>();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            say("s9", Track.CUSTOMER, "Well, the thing is we tried that before and it did not", t, t + 4_000)
                    .ifPresent(fired::add);
            // the rep starts while the customer is still speaking
            say("s9", Track.AGENT, "Right, right, but ours is different.", t + 3_000, t + 6_000).ifPresent(fired::add);
            t += 10_000;
        }
        assertThat(fired).extracting(Nudge::type).containsExactly(Nudge.INTERRUPTIONS);
        assertThat(fired.getFirst().title()).contains("3 times");

        // the customer talking over the rep, or turns that do not overlap, are no interruptions by the rep
        say("s10", Track.AGENT, "Let me explain the pricing.", 0, 5_000);
        say("s10", Track.CUSTOMER, "Sorry, before you go on", 4_000, 6_000);
        for (int i = 1; i <= 4; i++) {
            say("s10", Track.CUSTOMER, "Okay.", i * 10_000L, i * 10_000L + 1_000);
            assertThat(say("s10", Track.AGENT, "So, as I said.", i * 10_000L + 2_000, i * 10_000L + 4_000)).isEmpty();
        }
    }

    @Test
    void anInterruptionIsCountedWhicheverFinalArrivesFirst() {
        var fired = new ArrayList<Nudge>();
        for (int i = 0; i < 3; i++) {
            long t = i * 10_000L;
            // the rep's final comes first, then the customer's longer utterance it overlapped
            say("s11", Track.AGENT, "But hold on.", t + 2_000, t + 3_000).ifPresent(fired::add);
            say("s11", Track.CUSTOMER, "We looked at this last year and decided", t, t + 5_000).ifPresent(fired::add);
        }
        say("s11", Track.AGENT, "Sorry, go on.", 40_000, 41_000).ifPresent(fired::add);
        assertThat(fired).extracting(Nudge::type).containsExactly(Nudge.INTERRUPTIONS);
    }

    @Test
    void theCustomerSpeakingEndsTheMonologue() {
        say("s2", Track.AGENT, "Let me walk you through it.", 0, 40_000);
        say("s2", Track.CUSTOMER, "Okay, and we also have a lot of churn in the first month.", 40_500, 100_000);

        // 40 s + 24.5 s of rep speech, but the customer spoke in between
        assertThat(say("s2", Track.AGENT, "So, the dashboard shows each rep.", 100_500, 125_000)).isEmpty();
    }

    @Test
    void aRepWithMoreThan65PercentOfTheLastThreeMinutesIsAskedForADiscoveryQuestion() {
        // alternating turns, rep 40 s, customer 10 s: 80 % rep, no single monologue over 60 s
        var fired = new ArrayList<Nudge>();
        long t = 0;
        for (int i = 0; i < 4; i++) {
            say("s3", Track.AGENT, "Here is how that part works.", t, t + 40_000).ifPresent(fired::add);
            say("s3", Track.CUSTOMER, "I see.", t + 40_000, t + 50_000);
            t += 50_000;
        }

        assertThat(fired).extracting(Nudge::type).containsExactly(Nudge.TALK_RATIO);
        assertThat(fired.getFirst().title()).contains("89%"); // 80 of the 90 s spoken when it first fired
        assertThat(fired.getFirst().message()).contains("discovery question");
    }

    @Test
    void aBalancedConversationGetsNoTalkNudge() {
        long t = 0;
        for (int i = 0; i < 8; i++) {
            assertThat(say("s4", Track.AGENT, "What does your team do when that happens?", t, t + 20_000)).isEmpty();
            say("s4", Track.CUSTOMER, "We usually escalate it to a lead.", t + 20_000, t + 45_000);
            t += 45_000;
        }
    }

    @Test
    void theRatioOnlyCountsTheSlidingWindow() {
        say("s5", Track.AGENT, "Long intro about us.", 0, 50_000);
        say("s5", Track.CUSTOMER, "Hmm.", 50_000, 51_000);
        say("s5", Track.AGENT, "More about us.", 51_000, 100_000);
        // four minutes later the customer has been doing the talking: the early rep speech is out of the window
        say("s5", Track.CUSTOMER, "Let me explain our setup in detail.", 300_000, 400_000);
        clock.advance(Duration.ofMinutes(5));

        assertThat(say("s5", Track.AGENT, "Why is that?", 400_000, 402_000)).map(Nudge::type)
                .isNotEqualTo(Optional.of(Nudge.TALK_RATIO));
    }

    @Test
    void tooFewQuestionsAfterFiveMinutesAndTheCooldownPerType() {
        say("s6", Track.CUSTOMER, "We have a support team of forty.", 0, 150_000);
        say("s6", Track.AGENT, "Great. Our tool helps teams like yours.", 150_000, 160_000);
        say("s6", Track.CUSTOMER, "Okay, go on, explain the details.", 160_000, 299_000);

        var nudge = say("s6", Track.AGENT, "It records every call.", 300_000, 305_000);
        assertThat(nudge).map(Nudge::type).contains(Nudge.FEW_QUESTIONS);
        assertThat(nudge.get().title()).isEqualTo("Only 0 questions so far");

        clock.advance(Duration.ofSeconds(119));
        assertThat(say("s6", Track.AGENT, "And transcribes it.", 306_000, 310_000)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(say("s6", Track.AGENT, "And scores it.", 311_000, 315_000)).map(Nudge::type)
                .contains(Nudge.FEW_QUESTIONS);
    }

    @Test
    void questionsAreCountedFromQuestionMarksOrLeadingQuestionWords() {
        assertThat(TalkTracker.isQuestion("Is that right?")).isTrue();
        assertThat(TalkTracker.isQuestion("how do you onboard new hires today")).isTrue();
        assertThat(TalkTracker.isQuestion("We can start next week.")).isFalse();

        say("s7", Track.CUSTOMER, "We have a support team of forty.", 0, 290_000);
        say("s7", Track.AGENT, "How do you onboard them", 290_000, 292_000);
        say("s7", Track.AGENT, "What tools do you use?", 292_000, 294_000);
        assertThat(say("s7", Track.AGENT, "Who owns the process?", 300_000, 302_000)).isEmpty();
    }

    @Test
    void agentModeSessionsAndTheCustomerTrackGetNoNudges() {
        agentSessions.add(TENANT + "/s8");
        assertThat(say("s8", Track.AGENT, "Let me tell you everything about us.", 0, 120_000)).isEmpty();

        assertThat(say("s9", Track.CUSTOMER, "Let me tell you everything about us.", 0, 120_000)).isEmpty();
    }

    @Test
    void anEndedSessionStartsAfresh() {
        say("s10", Track.AGENT, "Long pitch.", 0, 70_000);
        states.remove(TENANT + "/s10"); // the processor drops the state at session.ended

        assertThat(say("s10", Track.AGENT, "Short.", 0, 5_000)).isEmpty();
    }

    @Test
    void sessionsAndTenantsDoNotShareState() {
        say("s11", Track.AGENT, "Long pitch part one.", 0, 50_000);
        assertThat(say("other-tenant", "s11", Track.AGENT, "Part two.", 50_000, 70_000)).isEmpty();
        assertThat(say("s12", Track.AGENT, "Part two.", 50_000, 70_000)).isEmpty();
    }

    @Test
    void theSameObjectionCategoryIsSuggestedOncePerCooldown() {
        assertThat(firstInCooldown("s13", "price")).isTrue();
        assertThat(firstInCooldown("s13", "price")).isFalse();
        assertThat(firstInCooldown("s13", "timing")).isTrue();
        assertThat(firstInCooldown("s14", "price")).as("another session").isTrue();

        clock.advance(Duration.ofMinutes(2));
        assertThat(firstInCooldown("s13", "price")).isTrue();
    }

    @Test
    void theShortTurnsOfTheSampleCallGetNoNudges() {
        // typed text: every turn a few seconds long, the rep asks questions
        String[][] turns = {
                {"agent", "Hi, this is Sam from Acme. Thanks for taking the time today. How is your quarter going?"},
                {"customer", "Busy. We are growing the support team and onboarding new people is slow."},
                {"agent", "What does onboarding look like for a new hire right now?"},
                {"customer", "Honestly the price is too high for us this quarter."},
                {"agent", "I understand. If we phased the rollout, would that help with the budget?"},
                {"customer", "Maybe, but we are already talking to Globex about this."},
                {"agent", "We can start next week. I will send the proposal today."}};
        long t = 0;
        for (var turn : turns) {
            assertThat(say("s15", turn[0], turn[1], t, t + 4_000)).isEmpty();
            t += 4_500;
        }
        for (var turn : turns) {
            assertThat(say("s16", turn[0], turn[1], 0, 0)).as("offsets all zero").isEmpty();
        }
    }

    @Test
    void aMonologueIsSeenFromTheRepsPartialsWhileItGoesOn() {
        say("s20", Track.CUSTOMER, "Tell me about it.", 0, 2_000);
        say("s20", Track.AGENT, "So our platform does three things.", 3_000, 30_000);
        assertThat(partial("s20", Track.AGENT, "u2", 31_000, 50_000)).as("47 s so far").isEmpty();
        var nudge = partial("s20", Track.AGENT, "u2", 31_000, 64_000);

        assertThat(nudge).get().extracting(Nudge::type).isEqualTo(Nudge.MONOLOGUE);
        assertThat(nudge.get().title()).contains("61 s");
        clock.advance(Duration.ofSeconds(6));
        assertThat(sayAs("s20", Track.AGENT, "u2", "And the second thing is reporting.", 31_000, 70_000))
                .as("its final: the monologue is cooling down").map(Nudge::type).isNotEqualTo(Optional.of(Nudge.MONOLOGUE));
    }

    @Test
    void theCustomerSpeakingEndsTheMonologueGoingOn() {
        assertThat(partial("s21", Track.AGENT, "u1", 0, 50_000)).isEmpty();
        assertThat(partial("s21", Track.CUSTOMER, "c1", 50_500, 52_000)).isEmpty();
        assertThat(partial("s21", Track.AGENT, "u2", 53_000, 70_000)).as("17 s since the customer spoke").isEmpty();
        assertThat(engine.liveMonologue(state(TENANT, "s21"), false)).as("43 s to go: beyond the extrapolation").isEmpty();
    }

    @Test
    void betweenPartialsTheTimerKnowsWhenTheMonologueGoingOnReachesTheThreshold() {
        partial("s22", Track.AGENT, "u1", 0, 50_000);
        Instant seen = clock.instant();
        var live = engine.liveMonologue(state(TENANT, "s22"), false).orElseThrow();

        assertThat(live.due()).isEqualTo(seen.plusSeconds(10));
        assertThat(live.utteranceId()).isEqualTo("u1");
        assertThat(engine.onLiveMonologueDue(state(TENANT, "s22"), live)).get().extracting(Nudge::type)
                .isEqualTo(Nudge.MONOLOGUE);
        assertThat(engine.liveMonologue(state(TENANT, "s22"), false)).as("fired: cooling down").isEmpty();
        assertThat(engine.onLiveMonologueDue(state(TENANT, "s22"), live)).as("once").isEmpty();

        partial("s23", Track.AGENT, "u1", 0, 40_000);
        assertThat(engine.liveMonologue(state(TENANT, "s23"), false)).as("20 s to go, beyond 15 s").isEmpty();
        partial("s24", Track.AGENT, "u1", 0, 50_000);
        sayAs("s24", Track.AGENT, "u1", "That is all.", 0, 52_000);
        assertThat(engine.liveMonologue(state(TENANT, "s24"), false)).as("the utterance ended").isEmpty();
        partial("s25", Track.AGENT, "u1", 0, 50_000);
        assertThat(engine.liveMonologue(state(TENANT, "s25"), true)).as("agent mode").isEmpty();
        assertThat(partial("s26", Track.AGENT, "u1", 0, 70_000)).isPresent();
        agentSessions.add(TENANT + "/s27");
        assertThat(partial("s27", Track.AGENT, "u1", 0, 70_000)).as("agent mode").isEmpty();
    }

    private Optional<Nudge> partial(String session, String track, String utteranceId, long startMs, long endMs) {
        var partial = new Transcript(utteranceId, track, "so what we do is", false, startMs, endMs, 0.8, "text",
                Instant.now());
        return engine.onPartialTranscript(state(TENANT, session), agentSessions.contains(TENANT + "/" + session),
                partial, java.util.UUID.randomUUID(), clock.instant());
    }

    private Optional<Nudge> sayAs(String session, String track, String utteranceId, String text, long startMs,
                                  long endMs) {
        return engine.onFinalTranscript(state(TENANT, session), false,
                new Transcript(utteranceId, track, text, true, startMs, endMs, 1.0, "text", Instant.now()),
                clock.instant());
    }

    private Optional<Nudge> say(String session, String track, String text, long startMs, long endMs) {
        return say(TENANT, session, track, text, startMs, endMs);
    }

    private Optional<Nudge> say(String tenant, String session, String track, String text, long startMs, long endMs) {
        return engine.onFinalTranscript(state(tenant, session), agentSessions.contains(tenant + "/" + session),
                transcript(track, text, startMs, endMs), clock.instant());
    }

    private boolean firstInCooldown(String session, String category) {
        return engine.firstInCooldown(state(TENANT, session), "objection", category, clock.instant());
    }

    private NudgeState state(String tenant, String session) {
        return states.computeIfAbsent(tenant + "/" + session, k -> engine.newState());
    }

    private static Transcript transcript(String track, String text, long startMs, long endMs) {
        return new Transcript("utt", track, text, true, startMs, endMs, 1.0, "text", Instant.now());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
