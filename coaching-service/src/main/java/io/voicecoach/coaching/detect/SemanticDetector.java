package io.voicecoach.coaching.detect;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nearest-neighbour detection over sentence embeddings. At construction the playbook's examples (and phrases) of
 * every objection category and of the buying signals are embedded, together with its neutral examples; an
 * utterance takes the category of the most similar example when the cosine similarity reaches {@code threshold}.
 * An utterance closest to a neutral example is not coached, so small talk that happens to mention money or time
 * stays quiet. With a {@code margin}, the best example must also beat the best example of any other label (another
 * category, or neutral) by that much, so an utterance halfway between two categories is left alone.
 */
public final class SemanticDetector implements Detector {

    private final Embedder model;
    private final double threshold;
    private final double margin;
    private final List<Anchor> anchors;

    public SemanticDetector(Playbook playbook, EmbeddingModel model, double threshold, double margin) {
        this(playbook, new Embedder(model), threshold, margin);
    }

    public SemanticDetector(Playbook playbook, Embedder model, double threshold, double margin) {
        this.model = model;
        this.threshold = threshold;
        this.margin = margin;
        var labelled = new ArrayList<Labelled>();
        for (var rule : playbook.objections()) {
            examplesOf(rule).forEach(text -> labelled.add(new Labelled(text, Detection.OBJECTION, rule.category(), rule.answer())));
        }
        var signals = playbook.buyingSignals();
        examplesOf(signals).forEach(text -> labelled.add(new Labelled(text, Detection.BUYING_SIGNAL, Detection.BUYING_SIGNAL, signals.answer())));
        playbook.neutralExamples().forEach(text -> labelled.add(new Labelled(text, null, null, null)));
        var vectors = model.embedAll(labelled.stream().map(Labelled::text).toList());
        var built = new ArrayList<Anchor>(labelled.size());
        for (int i = 0; i < labelled.size(); i++) {
            built.add(new Anchor(labelled.get(i), vectors.get(i)));
        }
        this.anchors = List.copyOf(built);
    }

    private SemanticDetector(SemanticDetector embedded, double threshold, double margin) {
        this.model = embedded.model;
        this.anchors = embedded.anchors;
        this.threshold = threshold;
        this.margin = margin;
    }

    /** The same embedded examples with another decision rule (for threshold sweeps). */
    public SemanticDetector withDecision(double threshold, double margin) {
        return new SemanticDetector(this, threshold, margin);
    }

    public int anchorCount() {
        return anchors.size();
    }

    @Override
    public Optional<Detection> detect(Transcript transcript) {
        if (transcript == null || !transcript.isFinal() || !Track.CUSTOMER.equals(transcript.track())
                || transcript.text() == null || transcript.text().isBlank()) {
            return Optional.empty();
        }
        float[] query = model.embed(transcript.text());
        Anchor best = null;
        double bestScore = -1;
        double[] scores = new double[anchors.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = dot(query, anchors.get(i).vector());
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                best = anchors.get(i);
            }
        }
        if (best == null || best.label().kind() == null || bestScore < threshold
                || bestScore - runnerUp(scores, best.label().category()) < margin) {
            return Optional.empty();
        }
        var label = best.label();
        double confidence = Math.round(Math.min(0.99, bestScore) * 1000) / 1000.0;
        return Optional.of(new Detection(label.kind(), label.category(), confidence, label.text(), null,
                label.answer(), Detection.EMBEDDING));
    }

    /** The best score among examples of any label other than {@code category} (neutral included). */
    private double runnerUp(double[] scores, String category) {
        double best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (!category.equals(anchors.get(i).label().category()) && scores[i] > best) {
                best = scores[i];
            }
        }
        return best;
    }

    /**
     * Whole-sentence examples; a rule without any falls back to its phrases. Bare phrases ("my boss", "the board")
     * sit close to harmless sentences that contain them, so they are not used when there are examples.
     */
    private static List<String> examplesOf(Playbook.Rule rule) {
        return rule.examples().isEmpty() ? rule.phrases() : rule.examples();
    }

    private static double dot(float[] a, float[] b) {
        return Embedder.dot(a, b);
    }

    /** kind, category and answer are null for a neutral example. */
    private record Labelled(String text, String kind, String category, Playbook.Answer answer) {
    }

    private record Anchor(Labelled label, float[] vector) {
    }
}
