package io.voicecoach.coaching.playbook;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * What the rule detector looks for and what the rep is told, as data. Loaded and validated by
 * {@link PlaybookLoader}; the format is described in the service README.
 *
 * @param minConfidence             a category below this confidence is not reported
 * @param strongObjectionConfidence an objection below this loses to a buying signal in the same utterance
 * @param negators                  words that cancel a phrase or keyword match starting shortly after them
 * @param negationWindow            how many words before a match are searched for a negator
 * @param neutralExamples           sentences that need no coaching; for the embedding detector they pull an
 *                                  utterance away from every category
 */
@RegisterForReflection
public record Playbook(String name, double minConfidence, double strongObjectionConfidence, Weights weights,
                       List<String> negators, int negationWindow, Competitors competitors, List<Rule> objections,
                       Rule buyingSignals, List<String> neutralExamples, String methodology,
                       List<Methodology> methodologies, Compliance compliance, List<CompetitorCard> battleCards) {

    public Playbook {
        negators = orEmpty(negators);
        objections = orEmpty(objections);
        neutralExamples = orEmpty(neutralExamples);
        methodologies = orEmpty(methodologies);
        compliance = compliance == null ? new Compliance(List.of(), List.of()) : compliance;
        battleCards = orEmpty(battleCards);
    }

    /** The methodology whose stages are tracked ({@code methodology}), if the playbook names one. */
    public java.util.Optional<Methodology> activeMethodology() {
        return methodologies.stream().filter(m -> m.name().equalsIgnoreCase(String.valueOf(methodology))).findFirst();
    }

    /** A sales methodology (SPIN, MEDDIC, BANT, Challenger...) as ordered stages. */
    @RegisterForReflection
    public record Methodology(String name, String description, List<Stage> stages) {
        public Methodology {
            stages = orEmpty(stages);
        }
    }

    /**
     * One stage and what to ask in it. {@code questions} are what the rep asks here (embedded to recognise the stage
     * by meaning); {@code cues} are words or phrases that mark the stage outright.
     */
    @RegisterForReflection
    public record Stage(String name, String goal, List<String> questions, List<String> cues) {
        public Stage {
            questions = orEmpty(questions);
            cues = orEmpty(cues);
        }
    }

    /** Phrases the rep must say (by a point in the call) and must never say. */
    @RegisterForReflection
    public record Compliance(List<MustSay> mustSay, List<MustNotSay> mustNotSay) {
        public Compliance {
            mustSay = orEmpty(mustSay);
            mustNotSay = orEmpty(mustNotSay);
        }
    }

    /**
     * @param id            the nudge's category suffix, unique
     * @param phrases       any of them said by the rep counts (whole words, normalised)
     * @param withinSeconds call time (session offset) by which one must have been said
     */
    @RegisterForReflection
    public record MustSay(String id, List<String> phrases, int withinSeconds, String message) {
        public MustSay {
            phrases = orEmpty(phrases);
        }
    }

    /** Saying any of {@code phrases} (or matching {@code patterns}) raises a high-priority compliance suggestion. */
    @RegisterForReflection
    public record MustNotSay(String id, List<String> phrases, List<String> patterns, String message) {
        public MustNotSay {
            phrases = orEmpty(phrases);
            patterns = orEmpty(patterns);
        }
    }

    /** A competitor battle card: used when tool-service has none for the competitor named. */
    @RegisterForReflection
    public record CompetitorCard(String competitor, String title, List<String> points) {
        public CompetitorCard {
            points = orEmpty(points);
        }
    }

    /** Weight of one matched trigger of each kind; a rule's confidence combines them as 1 - prod(1 - w). */
    @RegisterForReflection
    public record Weights(double phrase, double pattern, double keyword) {
    }

    /** Known competitors: naming one adds {@code weight} to the {@code category} rule. */
    @RegisterForReflection
    public record Competitors(String category, double weight, List<String> names) {
        public Competitors {
            names = orEmpty(names);
        }
    }

    /**
     * One objection category (or the buying signals) and its answer. Phrases and keywords match whole words of the
     * normalised utterance; patterns are regular expressions over it; a negative match vetoes the rule.
     * {@code examples} are whole sentences in the category, for the embedding detector.
     */
    @RegisterForReflection
    public record Rule(String category, List<String> phrases, List<String> patterns, List<String> keywords,
                       List<String> negativePhrases, List<String> negativePatterns, List<String> examples,
                       Answer answer) {
        public Rule {
            examples = orEmpty(examples);
            phrases = orEmpty(phrases);
            patterns = orEmpty(patterns);
            keywords = orEmpty(keywords);
            negativePhrases = orEmpty(negativePhrases);
            negativePatterns = orEmpty(negativePatterns);
        }
    }

    /** What the rep sees: a one-line title and the message they can say. */
    @RegisterForReflection
    public record Answer(String title, String message) {
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
