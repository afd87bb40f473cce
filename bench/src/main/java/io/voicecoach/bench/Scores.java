package io.voicecoach.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Precision, recall and F1 per category from (expected, predicted) pairs, where {@code none} means "no detection".
 * A prediction of the wrong category counts as a false positive for the predicted one and a false negative for the
 * expected one.
 */
public final class Scores {

    public record Counts(int truePositives, int falsePositives, int falseNegatives) {
        public double precision() {
            return ratio(truePositives, truePositives + falsePositives);
        }

        public double recall() {
            return ratio(truePositives, truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public int support() {
            return truePositives + falseNegatives;
        }
    }

    public record Outcome(String expected, String predicted) {
    }

    private final List<Outcome> outcomes = new ArrayList<>();

    public void add(String expected, String predicted) {
        outcomes.add(new Outcome(expected, predicted));
    }

    public Counts of(String category) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (var o : outcomes) {
            boolean expected = category.equals(o.expected());
            boolean predicted = category.equals(o.predicted());
            if (expected && predicted) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (expected) {
                fn++;
            }
        }
        return new Counts(tp, fp, fn);
    }

    public Map<String, Counts> byCategory(List<String> categories) {
        var map = new LinkedHashMap<String, Counts>();
        categories.forEach(c -> map.put(c, of(c)));
        return map;
    }

    /** Unweighted mean of the F1 of {@code categories}. */
    public double macroF1(List<String> categories) {
        return categories.stream().mapToDouble(c -> of(c).f1()).average().orElse(0);
    }

    /** Share of the utterances expected to yield nothing that got a detection. */
    public static double falsePositiveRate(List<Boolean> detectedOnNegatives) {
        long hits = detectedOnNegatives.stream().filter(Boolean::booleanValue).count();
        return ratio((int) hits, detectedOnNegatives.size());
    }

    /** Nearest-rank percentile of sorted values, p in (0, 100]. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
