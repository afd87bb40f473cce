package io.voicecoach.analytics;

import io.voicecoach.analytics.metrics.ConversationMetrics;
import io.voicecoach.analytics.metrics.MetricsSettings;
import io.voicecoach.analytics.metrics.Prompt;
import io.voicecoach.analytics.metrics.SessionMetrics;
import io.voicecoach.analytics.metrics.SessionMetrics.CategoryCount;
import io.voicecoach.analytics.metrics.SessionMetrics.Monologue;
import io.voicecoach.analytics.metrics.SessionMetrics.Objection;
import io.voicecoach.analytics.metrics.SessionMetrics.Trend;
import io.voicecoach.analytics.metrics.SessionActivity;
import io.voicecoach.analytics.metrics.SessionMetrics.StageSpan;
import io.voicecoach.analytics.metrics.LlmCall;
import io.voicecoach.analytics.metrics.Speech;
import io.voicecoach.analytics.metrics.StageChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-built 100 s call with known answers. Timeline (seconds):
 * <pre>
 *   rep       a1 0-20        a2 26-46  a3 47-57      a4 66-76
 *   customer        c1 15-25               c2 50-65             c3 80-95
 * </pre>
 * The rep talks 60 s, the customer 40 s; the customer cuts in twice (c1 into a1, c2 into a3); the rep asks 3
 * questions; objections: price (c1, answered by a2), timing (c2, raised again in c3), timing (c3, no reply).
 */
class ConversationMetricsTest {

    private static final List<Speech> CALL = List.of(
            agent("a1", 0, 20_000, "Hi, thanks for taking the call. What are you using today? um we can help"),
            customer("c1", 15_000, 25_000, "honestly the price is too expensive for us"),
            agent("a2", 26_000, 46_000, "I understand. how do you measure cost today"),
            agent("a3", 47_000, 57_000, "It is great value, like, you know, really good"),
            customer("c2", 50_000, 65_000, "we are not happy with the timing, it's a problem"),
            agent("a4", 66_000, 76_000, "Next quarter could work better for you. Shall we plan it for next quarter?"),
            customer("c3", 80_000, 95_000, "sounds good, but the timing is still a problem"));
    private static final List<Prompt> PROMPTS = List.of(
            new Prompt("c1", "objection", "price", true),
            new Prompt("c2", "objection", "timing", true),
            new Prompt("c3", "objection", "timing", true),
            new Prompt("c3", "buying_signal", "interest", false));

    private final ConversationMetrics metrics = new ConversationMetrics(MetricsSettings.DEFAULTS);

    @Test
    void talkTimeAndRatios() {
        var m = metrics.compute(100_000L, CALL, PROMPTS);
        assertThat(m.durationMs()).isEqualTo(100_000);
        var rep = m.speakers().get("agent");
        var customer = m.speakers().get("customer");
        assertThat(rep.talkMs()).isEqualTo(60_000);
        assertThat(customer.talkMs()).isEqualTo(40_000);
        assertThat(rep.shareOfTalk()).isEqualTo(0.6);
        assertThat(rep.shareOfCall()).isEqualTo(0.6);
        assertThat(rep.talkListenRatio()).isEqualTo(1.5);
        assertThat(customer.shareOfTalk()).isEqualTo(0.4);
        assertThat(customer.talkListenRatio()).isEqualTo(0.667);
        assertThat(m.audioMinutes()).isEqualTo(3.33);
    }

    @Test
    void questionsInterruptionsAndMonologues() {
        var m = metrics.compute(100_000L, CALL, PROMPTS);
        assertThat(m.repQuestions()).isEqualTo(3);
        assertThat(m.speakers().get("customer").questions()).isZero();
        assertThat(m.interruptions()).isEqualTo(2);
        assertThat(m.speakers().get("agent").timesInterrupted()).isEqualTo(2);
        assertThat(m.speakers().get("agent").interruptionsMade()).isZero();
        assertThat(m.speakers().get("customer").interruptionsMade()).isEqualTo(2);
        // a2 and a3 are 1 s apart, under the 2 s gap: one monologue of 31 s
        assertThat(m.longestMonologue()).isEqualTo(new Monologue("agent", 26_000, 57_000, 31_000));
        assertThat(m.speakers().get("agent").longestMonologueMs()).isEqualTo(31_000);
        assertThat(m.speakers().get("customer").longestMonologueMs()).isEqualTo(15_000);

        var strict = new ConversationMetrics(new MetricsSettings(500, 10_000)).compute(100_000L, CALL, PROMPTS);
        assertThat(strict.longestMonologue()).isEqualTo(new Monologue("agent", 0, 20_000, 20_000));
    }

    @Test
    void wordsPerMinuteAndFillers() {
        var m = metrics.compute(100_000L, CALL, PROMPTS);
        var rep = m.speakers().get("agent");
        assertThat(rep.words()).isEqualTo(46);
        assertThat(rep.wordsPerMinute()).isEqualTo(46.0);
        assertThat(rep.fillerWords()).isEqualTo(3);
        assertThat(rep.fillers()).containsExactlyInAnyOrderEntriesOf(Map.of("um", 1, "like", 1, "you know", 1));
        var customer = m.speakers().get("customer");
        assertThat(customer.words()).isEqualTo(27);
        assertThat(customer.wordsPerMinute()).isEqualTo(40.5);
        assertThat(customer.fillerWords()).isZero();
    }

    @Test
    void objectionsByCategoryAndWhetherTheRepAddressedThem() {
        var objections = metrics.compute(100_000L, CALL, PROMPTS).objections();
        assertThat(objections.raised()).isEqualTo(3);
        assertThat(objections.addressed()).isEqualTo(1);
        assertThat(objections.byCategory()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "price", new CategoryCount(1, 1), "timing", new CategoryCount(2, 0)));
        assertThat(objections.byCategory().keySet()).containsExactly("price", "timing");
        assertThat(objections.items()).containsExactly(
                new Objection("c1", "price", 15_000, 1_000L, true),
                new Objection("c2", "timing", 50_000, 1_000L, false),
                new Objection("c3", "timing", 80_000, null, false));
    }

    @Test
    void aReplyOutsideTheWindowDoesNotAddressTheObjection() {
        var call = List.of(customer("c1", 0, 5_000, "it's too expensive"),
                agent("a1", 16_000, 20_000, "let me explain the pricing"));
        var prompts = List.of(new Prompt("c1", "objection", "price", true));
        var late = metrics.compute(20_000L, call, prompts).objections().items().getFirst();
        assertThat(late).isEqualTo(new Objection("c1", "price", 0, 11_000L, false));
        var lenient = new ConversationMetrics(new MetricsSettings(2000, 15_000)).compute(20_000L, call, prompts);
        assertThat(lenient.objections().items().getFirst().addressed()).isTrue();
    }

    @Test
    void sentimentPerUtteranceAndTrend() {
        var sentiment = metrics.compute(100_000L, CALL, PROMPTS).sentiment();
        assertThat(sentiment.utterances()).extracting(u -> u.utteranceId() + "=" + u.score() + ":" + u.label())
                .containsExactly("a1=1.0:positive", "c1=-1.0:negative", "a2=0.0:neutral", "a3=1.0:positive",
                        "c2=-1.0:negative", "a4=0.0:neutral", "c3=0.0:neutral");
        assertThat(sentiment.trend().get("customer")).isEqualTo(new Trend(-1.0, -0.5, 0.5, "improving"));
        assertThat(sentiment.trend().get("agent")).isEqualTo(new Trend(0.67, 0.0, -0.67, "declining"));
    }

    @Test
    void promptsShown() {
        assertThat(metrics.compute(100_000L, CALL, PROMPTS).prompts()).isEqualTo(new SessionMetrics.Prompts(4, 3));
    }

    @Test
    void overlappingUtterancesOfOneTrackCountOnceAndTypedTextIsNoAudio() {
        var call = List.of(new Speech("x1", "agent", "one two", 0, 10_000, false),
                new Speech("x2", "agent", "three", 5_000, 12_000, false));
        var m = metrics.compute(null, call, List.of());
        assertThat(m.durationMs()).isEqualTo(12_000);
        assertThat(m.speakers().get("agent").talkMs()).isEqualTo(12_000);
        assertThat(m.speakers().get("agent").shareOfTalk()).isEqualTo(1.0);
        assertThat(m.speakers().get("agent").talkListenRatio()).isNull();
        assertThat(m.interruptions()).isZero();
        assertThat(m.audioMinutes()).isZero();
    }

    @Test
    void anEmptySessionHasZerosAndNoRatios() {
        var m = metrics.compute(null, List.of(), List.of());
        assertThat(m.durationMs()).isZero();
        assertThat(m.speakers().get("agent").shareOfTalk()).isNull();
        assertThat(m.speakers().get("agent").wordsPerMinute()).isNull();
        assertThat(m.longestMonologue()).isNull();
        assertThat(m.objections().raised()).isZero();
        assertThat(m.sentiment().trend().get("customer").direction()).isEqualTo("unknown");
    }

    @Test
    void textHeuristics() {
        var call = List.of(
                agent("q", 0, 1_000, "Do you know the plan? I'd like that. what do you think"),
                agent("f", 1_000, 2_000, "uh I mean it's like basically done, you know"),
                customer("n", 2_000, 3_000, "this is not good and never easy, no problem"));
        var m = metrics.compute(3_000L, call, List.of());
        assertThat(m.repQuestions()).isEqualTo(2);
        assertThat(m.speakers().get("agent").fillers())
                .containsExactlyInAnyOrderEntriesOf(Map.of("uh", 1, "i mean", 1, "like", 1, "basically", 1, "you know", 1));
        // "not good" and "never easy" count negative, "no problem" positive
        assertThat(m.sentiment().utterances().getLast().score()).isEqualTo(-0.33);
    }

    @Test
    void stageTimelineSpansTheCallFromChangeToChange() {
        var changes = List.of(
                new StageChange("spin", "problem", "situation", "c1", 15_000),
                new StageChange("spin", "need_payoff", "implication", "a4", 66_000),
                new StageChange("spin", "implication", "problem", "a2", 26_000),
                new StageChange("spin", "implication", "implication", "a3", 47_000));
        var stages = metrics.compute(100_000L, CALL, PROMPTS,
                new SessionActivity(changes, List.of(), List.of())).stages();
        assertThat(stages).containsExactly(
                new StageSpan("situation", "spin", 0, 15_000, 15_000, null),
                new StageSpan("problem", "spin", 15_000, 26_000, 11_000, "c1"),
                new StageSpan("implication", "spin", 26_000, 66_000, 40_000, "a2"),
                new StageSpan("need_payoff", "spin", 66_000, 100_000, 34_000, "a4"));
        assertThat(metrics.compute(100_000L, CALL, PROMPTS).stages()).isEmpty();
        // no previous stage given: the timeline starts at the first change
        var fromFirst = metrics.compute(100_000L, CALL, PROMPTS, new SessionActivity(
                List.of(new StageChange("spin", "problem", null, "c1", 15_000)), List.of(), List.of())).stages();
        assertThat(fromFirst).containsExactly(new StageSpan("problem", "spin", 15_000, 100_000, 85_000, "c1"));
    }

    @Test
    void llmTokensAndCostAddUpPerPurpose() {
        var calls = List.of(
                new LlmCall("coaching", "gpt-4o-mini", 1_200, 80, 0.000228, 640, "ok"),
                new LlmCall("coaching", "gpt-4o-mini", 900, 0, 0.000135, 1500, "deadline"),
                new LlmCall("summary", "gpt-4o", 4_000, 300, 0.013, 2100, "ok"));
        var llm = metrics.compute(100_000L, CALL, PROMPTS, new SessionActivity(List.of(), calls, List.of())).llm();
        assertThat(llm.calls()).isEqualTo(3);
        assertThat(llm.failed()).isEqualTo(1);
        assertThat(llm.promptTokens()).isEqualTo(6_100);
        assertThat(llm.completionTokens()).isEqualTo(380);
        assertThat(llm.totalTokens()).isEqualTo(6_480);
        assertThat(llm.costUsd()).isEqualTo(0.013363);
        assertThat(llm.byPurpose()).containsExactly(
                Map.entry("coaching", new SessionMetrics.LlmPurpose(2, 2_180, 0.000363)),
                Map.entry("summary", new SessionMetrics.LlmPurpose(1, 4_300, 0.013)));
        var none = metrics.compute(100_000L, CALL, PROMPTS).llm();
        assertThat(none.calls()).isZero();
        assertThat(none.costUsd()).isZero();
    }

    @Test
    void transcriptionFailuresAreCountedByCode() {
        var failures = metrics.compute(100_000L, CALL, PROMPTS, new SessionActivity(List.of(), List.of(),
                List.of("engine_timeout", "audio_invalid", "engine_timeout"))).transcriptionFailures();
        assertThat(failures.count()).isEqualTo(3);
        assertThat(failures.byCode()).containsExactly(Map.entry("audio_invalid", 1), Map.entry("engine_timeout", 2));
    }

    private static Speech agent(String id, long start, long end, String text) {
        return new Speech(id, "agent", text, start, end, true);
    }

    private static Speech customer(String id, long start, long end, String text) {
        return new Speech(id, "customer", text, start, end, true);
    }
}
