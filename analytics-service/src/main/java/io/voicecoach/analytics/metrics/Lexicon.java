package io.voicecoach.analytics.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The word lists behind the text heuristics (questions, filler words, sentiment). Small and documented in the README
 * on purpose: every figure can be recomputed by hand.
 */
public final class Lexicon {

    /** A sentence without a question mark is a question when its first word is one of these. */
    public static final Set<String> QUESTION_OPENERS = Set.of("what", "why", "how", "when", "where", "who", "whom",
            "whose", "which", "can", "could", "would", "will", "do", "does", "did", "is", "are", "was", "were", "have",
            "has", "should", "shall", "may", "might", "am", "isn't", "aren't", "don't", "doesn't", "didn't", "won't",
            "wouldn't", "can't", "couldn't", "shouldn't");

    /** Single-word fillers; {@code like} is handled separately. */
    public static final Set<String> FILLERS = Set.of("um", "umm", "uh", "uhm", "erm", "er", "ah", "hmm", "basically",
            "actually", "literally");
    /** Two-word fillers, counted unless a question verb comes right before ("do you know", "did I mean"). */
    public static final Set<String> FILLER_PHRASES = Set.of("you know", "i mean");
    /** Words before {@code like} that make it a verb or a comparison, not a filler. */
    static final Set<String> LIKE_AS_VERB = Set.of("i", "you", "we", "they", "would", "i'd", "you'd", "we'd",
            "they'd", "to", "do", "does", "did", "don't", "doesn't", "didn't", "feel", "feels", "look", "looks",
            "sound", "sounds", "seem", "seems", "something", "anything", "nothing");
    private static final Set<String> NOT_FILLER_BEFORE_PHRASE = Set.of("do", "did", "does", "if", "what");

    public static final Set<String> POSITIVE = Set.of("good", "great", "excellent", "perfect", "love",
            "happy", "glad", "interested", "helpful", "useful", "thanks", "thank", "sure", "yes", "agree", "nice",
            "awesome", "fantastic", "impressed", "easy", "valuable");
    public static final Set<String> NEGATIVE = Set.of("bad", "expensive", "problem", "problems", "issue", "issues",
            "concern", "concerned", "worried", "difficult", "hard", "frustrated", "frustrating", "disappointed",
            "hate", "risk", "risky", "slow", "unfortunately", "cancel", "complicated", "confusing", "broken");
    /** A sentiment word with one of these among the two words before it counts with the opposite sign. */
    public static final Set<String> NEGATORS = Set.of("not", "no", "never", "don't", "doesn't", "didn't", "isn't",
            "wasn't", "aren't", "can't", "won't", "wouldn't", "hardly");

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.?!])\\s*");

    static List<String> words(String text) {
        var words = new ArrayList<String>();
        var matcher = WORD.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT).replace('\u2019', '\''));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** Sentences ending in '?' or opening with a {@link #QUESTION_OPENERS question word}. */
    static int questions(String text) {
        int questions = 0;
        for (String sentence : SENTENCE_END.split(text == null ? "" : text.strip())) {
            String trimmed = sentence.strip();
            var words = words(trimmed);
            if (words.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("?") || QUESTION_OPENERS.contains(words.getFirst())) {
                questions++;
            }
        }
        return questions;
    }

    /** Filler words and phrases found in {@code words}, in order (a phrase is reported with its space). */
    static List<String> fillers(List<String> words) {
        var found = new ArrayList<String>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String previous = i > 0 ? words.get(i - 1) : "";
            if (i + 1 < words.size() && FILLER_PHRASES.contains(word + " " + words.get(i + 1))
                    && !NOT_FILLER_BEFORE_PHRASE.contains(previous)) {
                found.add(word + " " + words.get(i + 1));
                i++;
            } else if (FILLERS.contains(word) || "like".equals(word) && !LIKE_AS_VERB.contains(previous)) {
                found.add(word);
            }
        }
        return found;
    }

    /** (positive - negative) / (positive + negative) over the sentiment words, negations flipped; 0 without any. */
    static double sentiment(List<String> words) {
        int positive = 0;
        int negative = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            int sign = POSITIVE.contains(word) ? 1 : NEGATIVE.contains(word) ? -1 : 0;
            if (sign == 0) {
                continue;
            }
            if (negated(words, i)) {
                sign = -sign;
            }
            if (sign > 0) {
                positive++;
            } else {
                negative++;
            }
        }
        return positive + negative == 0 ? 0 : (double) (positive - negative) / (positive + negative);
    }

    private static boolean negated(List<String> words, int i) {
        for (int j = Math.max(0, i - 2); j < i; j++) {
            if (NEGATORS.contains(words.get(j))) {
                return true;
            }
        }
        return false;
    }

    private Lexicon() {
    }
}
