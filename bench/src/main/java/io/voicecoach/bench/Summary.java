package io.voicecoach.bench;

import java.util.Collection;

/** Count and nearest-rank percentiles of measured values (e.g. milliseconds); NaN where there are none. */
public record Summary(int count, double p50, double p95, double p99, double max) {

    public static Summary of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Summary of(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return new Summary(sorted.length, Scores.percentile(sorted, 50), Scores.percentile(sorted, 95),
                Scores.percentile(sorted, 99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }
}
