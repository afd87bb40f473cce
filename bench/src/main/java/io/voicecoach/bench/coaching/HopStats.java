package io.voicecoach.bench.coaching;

import io.voicecoach.bench.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Measured hops, printed as count and p50/p95/p99/max by a grouping (kind, kind/source, send window). */
final class HopStats {

    /**
     * @param hopMs  envelope {@code occurredAt} - {@code transcriptAt}, both stamped by the services (the contract's hop)
     * @param wallMs receipt in the benchmark - just before the transcript's produce (adds the two Kafka hops)
     * @param window 10-second window of the measured period in which the transcript was sent
     */
    record Sample(String kind, String source, double hopMs, double wallMs, int window) {
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample sample) {
        samples.add(sample);
    }

    synchronized List<Sample> snapshot() {
        return List.copyOf(samples);
    }

    /** Summaries of {@code metric} per group, in key order, plus {@code all} over every sample. */
    static Map<String, Summary> by(List<Sample> samples, Function<Sample, String> group,
                                   ToDoubleFunction<Sample> metric) {
        var values = new TreeMap<String, List<Double>>();
        for (var sample : samples) {
            values.computeIfAbsent(group.apply(sample), k -> new ArrayList<>()).add(metric.applyAsDouble(sample));
        }
        var summaries = new LinkedHashMap<String, Summary>();
        values.forEach((key, list) -> summaries.put(key, Summary.of(list)));
        summaries.put("all", Summary.of(samples.stream().map(metric::applyAsDouble).toList()));
        return summaries;
    }

    /** Two tables side by side per group: the contract hop and the wall-clock hop. */
    static void print(String title, List<Sample> samples, Function<Sample, String> group) {
        var hop = by(samples, group, Sample::hopMs);
        var wall = by(samples, group, Sample::wallMs);
        System.out.println(title);
        System.out.printf("  %-28s %6s  %8s %8s %8s %8s | %8s %8s %8s %8s%n", "", "n", "p50", "p95", "p99", "max",
                "wall p50", "p95", "p99", "max");
        hop.forEach((key, summary) -> {
            var w = wall.get(key);
            System.out.printf("  %-28s %6d  %8.1f %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f %8.1f%n", key,
                    summary.count(), summary.p50(), summary.p95(), summary.p99(), summary.max(), w.p50(), w.p95(),
                    w.p99(), w.max());
        });
    }
}
