package io.voicecoach.coaching.nudge;

/**
 * Advice about how the rep runs the call, not about what the customer said.
 *
 * @param type     the suggestion's category: {@link #MONOLOGUE}, {@link #TALK_RATIO}, {@link #INTERRUPTIONS} or
 *                 {@link #FEW_QUESTIONS}
 * @param priority 1 (highest) .. 5
 */
public record Nudge(String type, int priority, String title, String message) {

    public static final String KIND = "nudge";
    public static final String MONOLOGUE = "monologue";
    public static final String TALK_RATIO = "talk_ratio";
    public static final String FEW_QUESTIONS = "few_questions";
    public static final String INTERRUPTIONS = "interruptions";

    static Nudge monologue(long seconds) {
        return new Nudge(MONOLOGUE, 2, "You have been talking for " + seconds + " s",
                "Pause and hand the call back: \"How does that compare with what you do today?\"");
    }

    static Nudge talkRatio(int repPercent) {
        return new Nudge(TALK_RATIO, 3, "You are doing " + repPercent + "% of the talking",
                "Ask a discovery question and let the customer talk: \"What would make this a success for you?\"");
    }

    static Nudge interruptions(int times) {
        return new Nudge(INTERRUPTIONS, 2, "You talked over the customer " + times + " times",
                "Let the customer finish; pause a second before you answer.");
    }

    static Nudge fewQuestions(int asked) {
        return new Nudge(FEW_QUESTIONS, 4, "Only " + asked + " question" + (asked == 1 ? "" : "s") + " so far",
                "Good discovery calls have many questions. Ask about their process, their pain and who else is involved.");
    }
}
