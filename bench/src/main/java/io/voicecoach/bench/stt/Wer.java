package io.voicecoach.bench.stt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate from a Levenshtein alignment of normalised words: (substitutions + deletions + insertions) over
 * the reference's word count. Normalisation: lower case, apostrophes dropped ("don't" = "dont"), every other
 * non-letter a word break.
 */
public record Wer(int substitutions, int deletions, int insertions, int referenceWords) {

    public static final Wer ZERO = new Wer(0, 0, 0, 0);

    public static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", "")
                .split("[^a-z0-9]+")).filter(w -> !w.isEmpty()).toList();
    }

    public static Wer of(String reference, String hypothesis) {
        return align(words(reference), words(hypothesis));
    }

    /** Minimum edit alignment; ties prefer substitutions, so the counts match sclite's on simple cases. */
    static Wer align(List<String> ref, List<String> hyp) {
        int n = ref.size();
        int m = hyp.size();
        var cost = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            cost[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            cost[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int diagonal = cost[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                cost[i][j] = Math.min(diagonal, Math.min(cost[i - 1][j] + 1, cost[i][j - 1] + 1));
            }
        }
        int subs = 0;
        int dels = 0;
        int ins = 0;
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1)) {
                subs += ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1;
                i--;
                j--;
            } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
                dels++;
                i--;
            } else {
                ins++;
                j--;
            }
        }
        return new Wer(subs, dels, ins, n);
    }

    public Wer plus(Wer other) {
        return new Wer(substitutions + other.substitutions, deletions + other.deletions,
                insertions + other.insertions, referenceWords + other.referenceWords);
    }

    public int errors() {
        return substitutions + deletions + insertions;
    }

    /** 0..1 (may exceed 1 with many insertions); NaN without reference words. */
    public double rate() {
        return referenceWords == 0 ? Double.NaN : (double) errors() / referenceWords;
    }
}
