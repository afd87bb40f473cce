package io.voicecoach.coaching.stage;

import io.voicecoach.coaching.detect.Embedder;
import io.voicecoach.coaching.detect.NormalizedText;
import io.voicecoach.coaching.playbook.Playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which stage of the playbook's active methodology an utterance belongs to. A stage's {@code cues} (whole words,
 * either speaker) decide outright; otherwise a rep utterance is compared (cosine) with every stage's example
 * questions and takes the stage of the nearest one when it reaches {@code threshold} and beats the nearest question of
 * any other stage by {@link #MARGIN}. Customer utterances are matched by cues only.
 */
public final class StageClassifier {

    static final double MARGIN = 0.02;

    private record Question(int stage, float[] vector) {
    }

    /** @param source {@code cue} or {@code embedding} */
    public record StageHit(String stage, double score, String source) {
    }

    private final String methodology;
    private final List<Playbook.Stage> stages;
    private final List<List<List<String>>> cues;
    private final List<Question> questions;
    private final Embedder embedder;
    private final double threshold;

    private StageClassifier(String methodology, List<Playbook.Stage> stages, Embedder embedder, double threshold) {
        this.methodology = methodology;
        this.stages = stages;
        this.embedder = embedder;
        this.threshold = threshold;
        this.cues = stages.stream()
                .map(s -> s.cues().stream().map(c -> List.of(NormalizedText.normalise(c).split(" "))).toList())
                .toList();
        var built = new ArrayList<Question>();
        if (embedder != null) {
            for (int i = 0; i < stages.size(); i++) {
                for (float[] vector : embedder.embedAll(stages.get(i).questions())) {
                    built.add(new Question(i, vector));
                }
            }
        }
        this.questions = List.copyOf(built);
    }

    /** Empty (classifies nothing) when the playbook names no methodology. */
    public static StageClassifier of(Playbook playbook, Embedder embedder, double threshold) {
        return playbook.activeMethodology()
                .map(m -> new StageClassifier(m.name(), m.stages(), embedder, threshold))
                .orElseGet(() -> new StageClassifier(null, List.of(), null, threshold));
    }

    public boolean isEmpty() {
        return stages.isEmpty();
    }

    public String methodology() {
        return methodology;
    }

    public Optional<StageHit> classify(String text, boolean rep) {
        if (stages.isEmpty() || text == null || text.isBlank()) {
            return Optional.empty();
        }
        var utterance = NormalizedText.of(text);
        for (int i = 0; i < stages.size(); i++) {
            for (var cue : cues.get(i)) {
                if (!utterance.find(cue).isEmpty()) {
                    return Optional.of(new StageHit(stages.get(i).name(), 1.0, "cue"));
                }
            }
        }
        if (!rep || questions.isEmpty()) {
            return Optional.empty();
        }
        float[] query = embedder.embed(text);
        double[] bestPerStage = new double[stages.size()];
        java.util.Arrays.fill(bestPerStage, -1);
        for (var question : questions) {
            bestPerStage[question.stage()] = Math.max(bestPerStage[question.stage()], Embedder.dot(query, question.vector()));
        }
        int best = 0;
        for (int i = 1; i < bestPerStage.length; i++) {
            if (bestPerStage[i] > bestPerStage[best]) {
                best = i;
            }
        }
        double runnerUp = -1;
        for (int i = 0; i < bestPerStage.length; i++) {
            if (i != best) {
                runnerUp = Math.max(runnerUp, bestPerStage[i]);
            }
        }
        if (bestPerStage[best] < threshold || bestPerStage[best] - runnerUp < MARGIN) {
            return Optional.empty();
        }
        return Optional.of(new StageHit(stages.get(best).name(), Math.round(bestPerStage[best] * 1000) / 1000.0,
                "embedding"));
    }
}
