package io.voicecoach.bench;

import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.Detector;
import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.detect.EmbeddingModels;
import io.voicecoach.coaching.detect.LayeredDetector;
import io.voicecoach.coaching.detect.RuleDetector;
import io.voicecoach.coaching.detect.SemanticDetector;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.playbook.PlaybookLoader;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the default detectors (rules only, and rules + embeddings) over the labelled set and prints precision, recall
 * and F1 per category, macro F1 over the objections, the false-positive rate on neutral talk and hard negatives,
 * and the detection latency per utterance. System properties: {@code eval.set} (resource, default
 * {@link EvalSet#DEFAULT}), {@code eval.playbook} (default {@code playbooks/default.json}); comma-separated lists
 * swept for the embedding decision (defaults: the service's): {@code eval.probabilities} (classifier probability),
 * {@code eval.margins} (lead over the runner-up), {@code eval.thresholds} (similarity to the nearest example),
 * {@code eval.neighbour-weights} (share of the nearest examples' vote);
 * {@code eval.errors=true} to list every miss.
 */
public final class DetectionEval {

    static final List<String> OBJECTIONS = List.of("price", "timing", "authority", "need", "competitor", "trust",
            "status_quo");
    static final int WARM_UP_ROUNDS = 3;

    public static void main(String[] args) {
        var set = EvalSet.load(System.getProperty("eval.set", EvalSet.DEFAULT));
        var playbook = PlaybookLoader.fromResource(System.getProperty("eval.playbook", "playbooks/default.json"));
        var probabilities = numbers(System.getProperty("eval.probabilities", "0.4"));
        var margins = numbers(System.getProperty("eval.margins", "0"));
        var thresholds = numbers(System.getProperty("eval.thresholds", "0.2"));
        var neighbours = numbers(System.getProperty("eval.neighbour-weights", "0.25"));
        boolean listErrors = Boolean.getBoolean("eval.errors");

        System.out.printf(Locale.ROOT, "evaluation set: %d utterances %s%n", set.size(), groups(set));
        var rules = new RuleDetector(playbook);
        report("rules only", rules, set, listErrors);

        long start = System.nanoTime();
        var embedder = new Embedder(EmbeddingModels.miniLm(Path.of("target/djl-cache")));
        long loaded = System.nanoTime();
        var semantic = new SemanticDetector(playbook, embedder,
                new SemanticDetector.Decision(probabilities.getFirst(), margins.getFirst(), thresholds.getFirst(),
                        neighbours.getFirst()));
        System.out.printf(Locale.ROOT, "%nembedding model loaded in %d ms; %d examples embedded and classifier trained"
                + " in %d ms%n", (loaded - start) / 1_000_000, semantic.anchorCount(),
                (System.nanoTime() - loaded) / 1_000_000);
        for (double probability : probabilities) {
            for (double margin : margins) {
                for (double threshold : thresholds) {
                    for (double neighbour : neighbours) {
                        var decision = new SemanticDetector.Decision(probability, margin, threshold, neighbour);
                        report("rules + embeddings (min probability " + probability + ", margin " + margin
                                + ", min similarity " + threshold + ", neighbour weight " + neighbour + ")",
                                new LayeredDetector(rules, semantic.withDecision(decision)), set, listErrors);
                    }
                }
            }
        }
        classifierOnly(semantic, embedder, set);
    }

    /** The decision alone (classifier, neighbour votes, nearest example) on pre-computed embeddings. */
    private static void classifierOnly(SemanticDetector semantic, Embedder embedder, List<LabelledUtterance> set) {
        var texts = set.stream().map(LabelledUtterance::text).toList();
        var vectors = embedder.embedUncached(texts);
        double[] micros = new double[set.size()];
        for (int round = 0; round <= WARM_UP_ROUNDS; round++) {
            for (int i = 0; i < micros.length; i++) {
                long start = System.nanoTime();
                semantic.classify(texts.get(i), vectors.get(i));
                micros[i] = (System.nanoTime() - start) / 1_000.0;
            }
        }
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "%nclassifier decision alone (embedding given): p50 %.1f us, p95 %.1f us,"
                + " max %.1f us%n", Scores.percentile(micros, 50), Scores.percentile(micros, 95),
                micros[micros.length - 1]);
    }

    private static List<Double> numbers(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Double::parseDouble).toList();
    }

    static void report(String name, Detector detector, List<LabelledUtterance> set, boolean listErrors) {
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            set.forEach(u -> detector.detect(customer(u.text())));
        }
        var scores = new Scores();
        var negatives = new LinkedHashMap<String, List<Boolean>>();
        double[] micros = new double[set.size()];
        var errors = new ArrayList<String>();
        var falseAlarmSources = new java.util.TreeMap<String, Integer>();
        for (int i = 0; i < set.size(); i++) {
            var utterance = set.get(i);
            var transcript = customer(utterance.text());
            long start = System.nanoTime();
            var detection = detector.detect(transcript);
            micros[i] = (System.nanoTime() - start) / 1_000.0;
            String predicted = detection.map(Detection::category).orElse(LabelledUtterance.NONE);
            scores.add(utterance.category(), predicted);
            if (utterance.expectsNothing()) {
                negatives.computeIfAbsent(utterance.group(), g -> new ArrayList<>()).add(detection.isPresent());
                detection.ifPresent(d -> falseAlarmSources.merge(utterance.group() + " by " + d.source(), 1,
                        Integer::sum));
            }
            if (!predicted.equals(utterance.category())) {
                errors.add(String.format(Locale.ROOT, "  expected %-13s got %-13s %-9s %s", utterance.category(),
                        predicted, detection.map(Detection::source).orElse(""), utterance.text()));
            }
        }
        Arrays.sort(micros);

        System.out.printf(Locale.ROOT, "%n== %s ==%n", name);
        System.out.printf(Locale.ROOT, "| %-13s | %9s | %6s | %6s | %7s |%n", "category", "precision", "recall", "F1",
                "support");
        System.out.println("|---------------|-----------|--------|--------|---------|");
        var categories = new ArrayList<>(OBJECTIONS);
        categories.add(Detection.BUYING_SIGNAL);
        scores.byCategory(categories).forEach((category, c) -> System.out.printf(Locale.ROOT,
                "| %-13s | %9.2f | %6.2f | %6.2f | %7d |%n", category, c.precision(), c.recall(), c.f1(), c.support()));
        System.out.printf(Locale.ROOT, "macro F1 over objections: %.3f%n", scores.macroF1(OBJECTIONS));
        negatives.forEach((group, hits) -> System.out.printf(Locale.ROOT,
                "false-positive rate on %s: %.1f%% (%d of %d)%n", group, 100 * Scores.falsePositiveRate(hits),
                hits.stream().filter(Boolean::booleanValue).count(), hits.size()));
        System.out.println("false positives by source: " + falseAlarmSources);
        System.out.printf(Locale.ROOT, "detection latency per utterance: p50 %.3f ms, p95 %.3f ms, max %.3f ms%n",
                Scores.percentile(micros, 50) / 1000, Scores.percentile(micros, 95) / 1000,
                micros[micros.length - 1] / 1000);
        if (listErrors) {
            System.out.println("errors:");
            errors.forEach(System.out::println);
        }
    }

    private static Map<String, Long> groups(List<LabelledUtterance> set) {
        var counts = new LinkedHashMap<String, Long>();
        set.forEach(u -> counts.merge(u.group(), 1L, Long::sum));
        return counts;
    }

    private static Transcript customer(String text) {
        return new Transcript("eval", Track.CUSTOMER, text, true, 0, 0, 1.0, "text", Instant.now());
    }

    private DetectionEval() {
    }
}
