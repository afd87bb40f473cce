package io.voicecoach.coaching.playbook;

import io.voicecoach.coaching.detect.RuleDetector;
import io.voicecoach.coaching.stage.ComplianceRules;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tenant patterns run on RE2/J: a pattern that backtracks catastrophically with java.util.regex (the engine used
 * before) runs in linear time over a long transcript, and what RE2/J cannot run, or would have to expand beyond the
 * limit, is refused by the loader with the JSON path of the pattern.
 */
class TenantPatternsTest {

    /**
     * 60 a's, a word break, no c: {@code (.*a){25}c} tries every way of cutting the a's into 25 pieces (about 10^17)
     * before it gives up. (JDK 9+ memoizes simple nested loops such as {@code (a+)+$}; counted ones still explode.)
     */
    private static final String HOSTILE_TEXT = "a".repeat(60) + " b";
    private static final String COUNTED = "(.*a){25}c";
    private static final String PLAYBOOK = """
            {"name": "hostile", "minConfidence": 0.5, "strongObjectionConfidence": 0.9,
             "weights": {"phrase": 0.8, "pattern": 0.9, "keyword": 0.25}, "negators": ["not"], "negationWindow": 3,
             "objections": [{"category": "price", "patterns": [%s], "negativePatterns": ["(x+x+)+y"],
               "answer": {"title": "Price", "message": "Anchor on value"}}],
             "buyingSignals": {"phrases": ["when can we start"], "answer": {"title": "Buy", "message": "Close"}},
             "compliance": {"mustNotSay": [{"id": "evil", "patterns": ["(x+x+){5,20}y", "(\\\\w*a){20}c"], "message": "no"}]}}
            """;

    @Test
    void theOldEngineBacktracksOnTheHostilePatternBeyondAnyBudget() {
        var budgeted = new BudgetedText(HOSTILE_TEXT, 50_000_000);
        assertThatThrownBy(() -> java.util.regex.Pattern.compile(COUNTED).matcher(budgeted).find())
                .isInstanceOf(BudgetedText.Exhausted.class);
        var xs = new BudgetedText("x".repeat(60), 50_000_000);
        assertThatThrownBy(() -> java.util.regex.Pattern.compile("(x+x+){5,20}y").matcher(xs).find())
                .isInstanceOf(BudgetedText.Exhausted.class);
    }

    @Test
    void aBacktrackingPatternOverALongTranscriptFinishesInLinearTime() {
        var playbook = PlaybookLoader.parse("hostile", PLAYBOOK.formatted("\"(a+)+$\", \"" + COUNTED + "\""),
                PlaybookLimits.DEFAULT);
        var detector = new RuleDetector(playbook);
        var compliance = ComplianceRules.of(playbook);
        // the hostile texts repeated into a 100,000-character utterance
        String transcript = (HOSTILE_TEXT + " " + "x".repeat(60) + " ").repeat(800) + HOSTILE_TEXT;

        var executor = Executors.newSingleThreadExecutor(r -> {
            var thread = new Thread(r, "hostile-pattern");
            thread.setDaemon(true); // on the old engine it would spin for ever: do not keep the JVM alive
            return thread;
        });
        try {
            var detected = CompletableFuture.supplyAsync(() -> detector.detect(customer(transcript)), executor);
            var forbidden = CompletableFuture.supplyAsync(() -> compliance.forbiddenIn(transcript), executor);
            await().atMost(Duration.ofSeconds(30)).until(() -> detected.isDone() && forbidden.isDone());
            assertThat(detected.join()).as("(a+)+$ cannot match: the text ends in b").isEmpty();
            assertThat(forbidden.join()).isEmpty();
            assertThat(detector.detect(customer("aaaa aaaa"))).hasValueSatisfying(d ->
                    assertThat(d.category()).isEqualTo("price"));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void patternsRe2CannotRunAreRefusedWithTheirJsonPath() {
        assertThatThrownBy(() -> PlaybookLoader.parse("t", PLAYBOOK.formatted("\"(\\\\w+) \\\\1\", \"too (?=high)\""),
                PlaybookLimits.DEFAULT))
                .isInstanceOf(InvalidPlaybookException.class)
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .extracting(InvalidPlaybookException.Violation::path)
                        .containsExactly("$.objections[0].patterns[0]", "$.objections[0].patterns[1]"))
                .hasMessageContaining("no backreferences or lookaround");
    }

    @Test
    void aPatternThatExpandsHugelyIsRefusedBeforeItIsCompiled() {
        // RE2/J would need gigabytes to compile this one (it expands counted repetition)
        String nested = "((a{1000}){1000}){1000}";
        assertThat(TenantRegex.size(nested)).isGreaterThan(PlaybookLimits.DEFAULT.maxPatternSize());
        assertThat(TenantRegex.problem(nested, PlaybookLimits.TRUSTED.maxPatternSize())).isPresent();

        assertThatThrownBy(() -> PlaybookLoader.parse("t", PLAYBOOK.formatted("\"ok\", \"" + nested + "\""),
                PlaybookLimits.DEFAULT))
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .extracting(InvalidPlaybookException.Violation::path)
                        .contains("$.objections[0].patterns[1]").doesNotContain("$.objections[0].patterns[0]"))
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> PlaybookLoader.parse("t", PLAYBOOK.formatted("\"x{900}\", \"y{900}\""),
                new PlaybookLimits(1_000_000, 50, 500, 500, 5_000, 500, 2_000, 500, 1_000, 1_500)))
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .extracting(InvalidPlaybookException.Violation::path).containsExactly("$"))
                .hasMessageContaining("patterns expand to about");
    }

    @Test
    void theSizeEstimateCountsGroupsClassesEscapesAndRepetition() {
        assertThat(TenantRegex.size("abc")).isEqualTo(3);
        assertThat(TenantRegex.size("a{10}")).isEqualTo(10);
        assertThat(TenantRegex.size("(ab){10}")).isEqualTo(30);
        assertThat(TenantRegex.size("[a-z]{5,8}")).isEqualTo(8);
        assertThat(TenantRegex.size("\\p{Greek}{4}")).isEqualTo(4);
        assertThat(TenantRegex.size("a{,3}")).as("not a count: literal braces").isEqualTo(5);
        assertThat(TenantRegex.size("a{99999999999}")).isGreaterThan(1_000_000);
        assertThat(TenantRegex.size("((((")).isZero();
        var bundled = PlaybookLoader.fromResource("playbooks/default.json");
        bundled.objections().forEach(rule -> rule.patterns().forEach(p ->
                assertThat(TenantRegex.size(p)).as(p).isLessThan(PlaybookLimits.DEFAULT.maxPatternSize())));
    }

    private static Transcript customer(String text) {
        return new Transcript("u1", Track.CUSTOMER, text, true, 0, 1000, 1.0, "test", Instant.now());
    }

    /** A text that fails once a regex engine has read more than {@code budget} characters of it. */
    private static final class BudgetedText implements CharSequence {
        static final class Exhausted extends RuntimeException {
        }

        private final String text;
        private long budget;

        BudgetedText(String text, long budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
