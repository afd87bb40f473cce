package io.voicecoach.analytics.latency;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * Distribution of one hop's latencies in milliseconds. Percentiles use the nearest-rank method (the smallest
 * sample with at least that share of samples at or below it), so every figure is a measured value.
 * Without samples, {@code count} is 0 and the figures are null.
 */
@RegisterForReflection
public record LatencySummary(int count, Long p50, Long p95, Long max) {

    public static LatencySummary of(List<Long> samplesMs) {
        if (samplesMs.isEmpty()) {
            return new LatencySummary(0, null, null, null);
        }
        var sorted = samplesMs.stream().sorted().toList();
        return new LatencySummary(sorted.size(), nearestRank(sorted, 50), nearestRank(sorted, 95), sorted.getLast());
    }

    private static long nearestRank(List<Long> sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
