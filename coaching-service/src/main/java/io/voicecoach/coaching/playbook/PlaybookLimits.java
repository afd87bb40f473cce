package io.voicecoach.coaching.playbook;

/**
 * How large a playbook a tenant may store ({@code voicecoach.coaching.playbooks.limits.*}): everything in it is
 * matched against every utterance or embedded and trained on when it is activated, so its size is the tenant's
 * share of that work.
 *
 * @param maxChars            characters of the whole JSON document
 * @param maxRules            objection categories
 * @param maxExamplesPerRule  example sentences of one rule (an objection, the buying signals, the neutral examples)
 * @param maxExampleChars     characters of one example sentence or stage question
 * @param maxSentences        sentences embedded in all (examples, neutral examples, stage questions)
 * @param maxItems            entries of any other list (phrases, keywords, patterns, negators, names, stages, rules...)
 * @param maxTextChars        characters of any other string (answers, messages, phrases)
 * @param maxPatternChars     characters of one pattern
 * @param maxPatternSize      estimated compiled size of one pattern ({@link TenantRegex#size})
 * @param maxPatternSizeTotal estimated compiled size of all patterns together (each is run over every utterance)
 */
public record PlaybookLimits(int maxChars, int maxRules, int maxExamplesPerRule, int maxExampleChars, int maxSentences,
                             int maxItems, int maxTextChars, int maxPatternChars, int maxPatternSize,
                             int maxPatternSizeTotal) {

    /** The defaults of {@code voicecoach.coaching.playbooks.limits} (the bundled playbook is well inside them). */
    public static final PlaybookLimits DEFAULT = new PlaybookLimits(1_000_000, 50, 500, 500, 5_000, 500, 2_000, 500,
            1_000, 20_000);

    public static PlaybookLimits of(io.voicecoach.coaching.CoachingConfig.Playbooks.Limits config) {
        return new PlaybookLimits(config.maxChars(), config.maxRules(), config.maxExamplesPerRule(),
                config.maxExampleChars(), config.maxSentences(), config.maxItems(), config.maxTextChars(),
                config.maxPatternChars(), config.maxPatternSize(), config.maxPatternSizeTotal());
    }

    /** For playbooks the operator ships (the bundled default): no size limits, only what the detector needs. */
    public static final PlaybookLimits TRUSTED = new PlaybookLimits(Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, 100_000, Integer.MAX_VALUE);
}
