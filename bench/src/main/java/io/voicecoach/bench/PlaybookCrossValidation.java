package io.voicecoach.bench;

import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.detect.EmbeddingModels;
import io.voicecoach.coaching.detect.SemanticDetector;
import io.voicecoach.coaching.detect.SoftmaxClassifier;
import io.voicecoach.coaching.detect.SemanticDetector.Decision;
import io.voicecoach.coaching.detect.SemanticDetector.Examples;
import io.voicecoach.coaching.playbook.PlaybookLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Chooses the embedding decision knobs without looking at the evaluation set: stratified k-fold cross-validation
 * over the playbook's own examples. Each fold's classifier is trained on the other folds; its held-out examples are
 * classified for every (min probability, margin, min similarity) in the grid. Prints macro F1 over the objection
 * categories and the false-positive rate on held-out neutral examples (the embedding layer alone, no rules).
 * System properties: {@code cv.folds} (5), {@code cv.seed} (7), {@code cv.epochs}, {@code cv.learning-rate},
 * {@code cv.l2}, {@code cv.none-weight} (training settings, default the service's), {@code cv.cues}
 * ({@code false}: embedding only, no word cues), {@code eval.playbook}, {@code eval.probabilities},
 * {@code eval.margins}, {@code eval.thresholds}, {@code eval.neighbour-weights}.
 */
public final class PlaybookCrossValidation {

    public static void main(String[] args) {
        var playbook = PlaybookLoader.fromResource(System.getProperty("eval.playbook", "playbooks/default.json"));
        int folds = Integer.getInteger("cv.folds", 5);
        var probabilities = numbers(System.getProperty("eval.probabilities", "0.3,0.4,0.5,0.6,0.7"));
        var margins = numbers(System.getProperty("eval.margins", "0,0.1,0.2"));
        var thresholds = numbers(System.getProperty("eval.thresholds", "0,0.3,0.4"));
        var neighbours = numbers(System.getProperty("eval.neighbour-weights", "0,0.5,1"));
        var examples = Examples.of(playbook);
        var embedder = new Embedder(EmbeddingModels.miniLm(Path.of("target/djl-cache")));
        var vectors = embedder.embedAll(examples.texts());
        int[] fold = assignFolds(examples.classes(), folds, new Random(Long.getLong("cv.seed", 7)));

        var decisions = new ArrayList<Decision>();
        probabilities.forEach(p -> margins.forEach(m -> thresholds.forEach(t -> neighbours.forEach(
                n -> decisions.add(new Decision(p, m, t, n))))));
        var scores = decisions.stream().map(d -> new Scores()).toList();
        var neutralHits = decisions.stream().map(d -> new ArrayList<Boolean>()).toList();
        var defaults = SoftmaxClassifier.Training.DEFAULT;
        var training = new SoftmaxClassifier.Training(Integer.getInteger("cv.epochs", defaults.epochs()),
                Double.parseDouble(System.getProperty("cv.learning-rate", "" + defaults.learningRate())),
                defaults.momentum(), Double.parseDouble(System.getProperty("cv.l2", "" + defaults.l2())),
                Double.parseDouble(System.getProperty("cv.none-weight", "" + defaults.lastWeight())));
        System.out.println("training: " + training);
        long start = System.nanoTime();
        for (int f = 0; f < folds; f++) {
            int held = f;
            int[] train = IntStream.range(0, fold.length).filter(i -> fold[i] != held).toArray();
            var detector = new SemanticDetector(examples.subset(train), embedder, decisions.getFirst(), training,
                    !"false".equals(System.getProperty("cv.cues")));
            for (int d = 0; d < decisions.size(); d++) {
                var decided = detector.withDecision(decisions.get(d));
                for (int i = 0; i < fold.length; i++) {
                    if (fold[i] != held) {
                        continue;
                    }
                    String predicted = decided.classify(examples.texts().get(i), vectors.get(i)).map(Detection::category)
                            .orElse(LabelledUtterance.NONE);
                    var label = examples.labels().get(examples.classes()[i]);
                    String expected = label.category() == null ? LabelledUtterance.NONE : label.category();
                    scores.get(d).add(expected, predicted);
                    if (label.category() == null) {
                        neutralHits.get(d).add(!LabelledUtterance.NONE.equals(predicted));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d-fold cross-validation over %d playbook examples (%d neutral) in %d ms%n",
                folds, fold.length, neutralHits.getFirst().size(), (System.nanoTime() - start) / 1_000_000);
        System.out.println("| min probability | margin | min similarity | neighbour weight | macro F1 objections"
                + " | buying F1 | FP neutral |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int d = 0; d < decisions.size(); d++) {
            var decision = decisions.get(d);
            System.out.printf(Locale.ROOT, "| %.2f | %.2f | %.2f | %.2f | %.3f | %.2f | %.1f%% |%n",
                    decision.minProbability(), decision.margin(), decision.minSimilarity(), decision.neighbourWeight(),
                    scores.get(d).macroF1(DetectionEval.OBJECTIONS),
                    scores.get(d).of(Detection.BUYING_SIGNAL).f1(), 100 * Scores.falsePositiveRate(neutralHits.get(d)));
        }
    }

    /** Stratified: each class's examples, shuffled, are dealt round-robin to the folds. */
    private static int[] assignFolds(int[] classes, int folds, Random random) {
        int[] fold = new int[classes.length];
        int max = Arrays.stream(classes).max().orElse(0);
        for (int c = 0; c <= max; c++) {
            int label = c;
            var members = new ArrayList<>(IntStream.range(0, classes.length).filter(i -> classes[i] == label)
                    .boxed().toList());
            java.util.Collections.shuffle(members, random);
            for (int k = 0; k < members.size(); k++) {
                fold[members.get(k)] = k % folds;
            }
        }
        return fold;
    }

    private static List<Double> numbers(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Double::parseDouble).toList();
    }

    private PlaybookCrossValidation() {
    }
}
