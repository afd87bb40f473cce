package io.voicecoach.coaching.detect;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An utterance normalised for matching: lower case, accents and apostrophes dropped ({@code don't} ->
 * {@code dont}), every other non-alphanumeric character a word break, single spaces. Playbook phrases are
 * normalised the same way. {@code clauses} holds, per word, the number of the clause it is in (clauses end at
 * {@code , . ; : ! ?}), so a negator does not reach across a clause; {@code starts} holds each word's offset in
 * {@code text}.
 */
public record NormalizedText(String text, List<String> words, int[] clauses, int[] starts) {

    private static final Pattern APOSTROPHES = Pattern.compile("['\u2018\u2019`\u00b4]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern CLAUSE_END = Pattern.compile("[,.;:!?]+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    public static NormalizedText of(String raw) {
        var words = new ArrayList<String>();
        var clauseOfWord = new ArrayList<Integer>();
        if (raw != null) {
            String[] clauses = CLAUSE_END.split(raw);
            for (int clause = 0; clause < clauses.length; clause++) {
                String normalised = normalise(clauses[clause]);
                if (normalised.isEmpty()) {
                    continue;
                }
                for (String word : normalised.split(" ")) {
                    words.add(word);
                    clauseOfWord.add(clause);
                }
            }
        }
        var starts = new int[words.size()];
        for (int i = 1; i < starts.length; i++) {
            starts[i] = starts[i - 1] + words.get(i - 1).length() + 1;
        }
        return new NormalizedText(String.join(" ", words), List.copyOf(words),
                clauseOfWord.stream().mapToInt(Integer::intValue).toArray(), starts);
    }

    public static String normalise(String raw) {
        if (raw == null) {
            return "";
        }
        String folded = MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFD)).replaceAll("");
        String lower = APOSTROPHES.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll("");
        return NON_WORD.matcher(lower).replaceAll(" ").trim();
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    /** Word indexes where {@code phrase} (already normalised, split into words) starts. */
    public List<Integer> find(List<String> phrase) {
        var starts = new ArrayList<Integer>();
        outer:
        for (int start = 0; start + phrase.size() <= words.size(); start++) {
            for (int i = 0; i < phrase.size(); i++) {
                if (!words.get(start + i).equals(phrase.get(i))) {
                    continue outer;
                }
            }
            starts.add(start);
        }
        return starts;
    }

    /**
     * Index of the word that contains character {@code offset} of {@link #text()}: a binary search over the words'
     * starts, so a pattern matching every word of a long utterance costs n log n, not n squared.
     */
    public int wordAt(int offset) {
        int low = 0;
        int high = words.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (starts[middle] <= offset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** Whether one of {@code negators} occurs within {@code window} words before {@code start}, in its clause. */
    public boolean negatedAt(int start, Set<String> negators, int window) {
        for (int i = start - 1; i >= Math.max(0, start - window); i--) {
            if (clauses[i] != clauses[start]) {
                return false;
            }
            if (negators.contains(words.get(i))) {
                return true;
            }
        }
        return false;
    }
}
