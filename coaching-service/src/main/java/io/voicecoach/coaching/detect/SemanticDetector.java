package io.voicecoach.coaching.detect;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Detection by meaning over sentence embeddings. At construction the playbook's examples of every objection category
 * and of the buying signals are embedded with its neutral examples, and a {@link SoftmaxClassifier} is trained on
 * them (embedding plus {@link CueFeatures}): one class per category, the buying signals, and "none" (the neutral
 * examples). An utterance is embedded once; the classifier's probabilities are blended with the similarity-weighted
 * vote of its {@link #NEIGHBOURS} most similar examples ({@code neighbourWeight}). It is coached when the winning
 * class is not "none", its probability reaches {@code minProbability}, it beats the runner-up (none included) by {@code margin}, and the most similar example of
 * that class has cosine similarity at least {@code minSimilarity} (so an utterance far from everything the playbook
 * knows is left alone).
 */
public final class SemanticDetector implements Detector {

    /** The decision knobs; see the class comment. */
    public record Decision(double minProbability, double margin, double minSimilarity, double neighbourWeight) {
    }

    static final int NEIGHBOURS = 7;

    private final Embedder model;
    private final Decision decision;
    private final List<Label> labels;
    private final List<Anchor> anchors;
    private final SoftmaxClassifier classifier;
    private final boolean cues;

    public SemanticDetector(Playbook playbook, EmbeddingModel model, Decision decision) {
        this(playbook, new Embedder(model), decision);
    }

    public SemanticDetector(Playbook playbook, Embedder model, Decision decision) {
        this(Examples.of(playbook), model, decision);
    }

    public SemanticDetector(Examples examples, Embedder model, Decision decision) {
        this(examples, model, decision, SoftmaxClassifier.Training.DEFAULT, true);
    }

    /** Trained on the given examples only, with the given settings (cross-validation). */
    public SemanticDetector(Examples examples, Embedder model, Decision decision, SoftmaxClassifier.Training training,
                            boolean cues) {
        this.model = model;
        this.decision = decision;
        this.cues = cues;
        this.labels = examples.labels();
        var vectors = model.embedAll(examples.texts());
        var built = new ArrayList<Anchor>(vectors.size());
        var features = new ArrayList<float[]>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            String text = examples.texts().get(i);
            built.add(new Anchor(text, examples.classes()[i], vectors.get(i)));
            features.add(features(text, vectors.get(i)));
        }
        this.anchors = List.copyOf(built);
        this.classifier = features.isEmpty() ? null
                : SoftmaxClassifier.train(features, examples.classes(), labels.size(), training);
    }

    private SemanticDetector(SemanticDetector trained, Decision decision) {
        this.model = trained.model;
        this.labels = trained.labels;
        this.anchors = trained.anchors;
        this.classifier = trained.classifier;
        this.cues = trained.cues;
        this.decision = decision;
    }

    /** The same embedded examples and classifier with other decision knobs (for sweeps). */
    public SemanticDetector withDecision(Decision decision) {
        return new SemanticDetector(this, decision);
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
        return classify(transcript.text(), model.embed(transcript.text()));
    }

    private float[] features(String text, float[] embedding) {
        return cues ? CueFeatures.features(text, embedding) : embedding;
    }

    /** The decision for an utterance and its embedding. */
    public Optional<Detection> classify(String text, float[] query) {
        if (classifier == null) {
            return Optional.empty();
        }
        double[] similarity = new double[anchors.size()];
        for (int i = 0; i < similarity.length; i++) {
            similarity[i] = Embedder.dot(query, anchors.get(i).vector());
        }
        double[] p = blend(classifier.probabilities(features(text, query)), neighbourVotes(similarity));
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        double runnerUp = 0;
        for (int c = 0; c < p.length; c++) {
            if (c != best) {
                runnerUp = Math.max(runnerUp, p[c]);
            }
        }
        var label = labels.get(best);
        if (label.kind() == null || p[best] < decision.minProbability() || p[best] - runnerUp < decision.margin()) {
            return Optional.empty();
        }
        int nearest = -1;
        for (int i = 0; i < similarity.length; i++) {
            if (anchors.get(i).label() == best && (nearest < 0 || similarity[i] > similarity[nearest])) {
                nearest = i;
            }
        }
        if (nearest < 0 || similarity[nearest] < decision.minSimilarity()) {
            return Optional.empty();
        }
        double confidence = Math.round(Math.min(0.99, p[best]) * 1000) / 1000.0;
        return Optional.of(new Detection(label.kind(), label.category(), confidence, anchors.get(nearest).text(), null,
                label.answer(), Detection.EMBEDDING));
    }

    private double[] blend(double[] model, double[] votes) {
        double w = decision.neighbourWeight();
        for (int c = 0; c < model.length; c++) {
            model[c] = (1 - w) * model[c] + w * votes[c];
        }
        return model;
    }

    /** Share of the {@link #NEIGHBOURS} most similar examples per class, each weighted by its similarity. */
    private double[] neighbourVotes(double[] similarity) {
        int k = Math.min(NEIGHBOURS, similarity.length);
        int[] top = new int[k];
        int found = 0;
        for (int i = 0; i < similarity.length; i++) {
            int at = found < k ? found++ : k;
            while (at > 0 && similarity[top[at - 1]] < similarity[i]) {
                if (at < k) {
                    top[at] = top[at - 1];
                }
                at--;
            }
            if (at < k) {
                top[at] = i;
            }
        }
        double[] votes = new double[labels.size()];
        double total = 0;
        for (int i = 0; i < found; i++) {
            double weight = Math.max(0, similarity[top[i]]);
            votes[anchors.get(top[i]).label()] += weight;
            total += weight;
        }
        for (int c = 0; c < votes.length && total > 0; c++) {
            votes[c] /= total;
        }
        return votes;
    }

    /** kind, category and answer are null for the "none" class. */
    public record Label(String kind, String category, Playbook.Answer answer) {
    }

    private record Anchor(String text, int label, float[] vector) {
    }

    /**
     * The training sentences and their class indexes: one class per objection category, then the buying signals,
     * then "none". A rule without {@code examples} falls back to its phrases.
     */
    public record Examples(List<Label> labels, List<String> texts, int[] classes) {

        /** The examples at the given positions, with all the labels. */
        public Examples subset(int[] positions) {
            var chosen = new ArrayList<String>(positions.length);
            int[] chosenClasses = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                chosen.add(texts.get(positions[i]));
                chosenClasses[i] = classes[positions[i]];
            }
            return new Examples(labels, List.copyOf(chosen), chosenClasses);
        }

        public static Examples of(Playbook playbook) {
            var labels = new ArrayList<Label>();
            var texts = new ArrayList<String>();
            var classes = new ArrayList<Integer>();
            for (var rule : playbook.objections()) {
                labels.add(new Label(Detection.OBJECTION, rule.category(), rule.answer()));
                add(examplesOf(rule), labels.size() - 1, texts, classes);
            }
            var signals = playbook.buyingSignals();
            labels.add(new Label(Detection.BUYING_SIGNAL, Detection.BUYING_SIGNAL, signals.answer()));
            add(examplesOf(signals), labels.size() - 1, texts, classes);
            labels.add(new Label(null, null, null));
            add(playbook.neutralExamples(), labels.size() - 1, texts, classes);
            return new Examples(List.copyOf(labels), List.copyOf(texts),
                    classes.stream().mapToInt(Integer::intValue).toArray());
        }

        private static void add(List<String> sentences, int label, List<String> texts, List<Integer> classes) {
            for (String sentence : sentences) {
                texts.add(sentence);
                classes.add(label);
            }
        }

        /**
         * Whole-sentence examples; a rule without any falls back to its phrases. Bare phrases ("my boss", "the
         * board") sit close to harmless sentences that contain them, so they are not used when there are examples.
         */
        private static List<String> examplesOf(Playbook.Rule rule) {
            return rule.examples().isEmpty() ? rule.phrases() : rule.examples();
        }
    }
}
