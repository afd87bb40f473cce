package io.voicecoach.coaching.detect;

import io.quarkus.runtime.Startup;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.stage.ComplianceRules;
import io.voicecoach.coaching.stage.StageClassifier;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds what a playbook needs at run time: its detector (rules, then embeddings when enabled) and its stage
 * classifier. Loads the embedding model once, at start-up, before the service reports ready.
 */
@Startup
@Singleton
public class EngineFactory {

    private static final Logger LOG = Logger.getLogger(EngineFactory.class);

    private final CoachingConfig config;
    private final Embedder embedder;

    public EngineFactory(CoachingConfig config) {
        this.config = config;
        this.embedder = config.embeddings().enabled()
                ? new Embedder(EmbeddingModels.miniLm(Path.of(config.embeddings().cacheDir()),
                        config.embeddings().threads()))
                : null;
    }

    /** The embedding model, unless embeddings are disabled. */
    public Optional<Embedder> embedder() {
        return Optional.ofNullable(embedder);
    }

    public Engine build(String owner, int version, Playbook playbook) {
        long start = System.nanoTime();
        var rules = new RuleDetector(playbook);
        var stages = StageClassifier.of(playbook, embedder, config.stages().threshold());
        if (embedder == null) {
            LOG.infof("playbook %s v%d of %s: rules only (embeddings disabled)", playbook.name(), version, owner);
            return new Engine(version, playbook, rules, stages, ComplianceRules.of(playbook));
        }
        var embeddings = config.embeddings();
        var semantic = new SemanticDetector(playbook, embedder,
                new SemanticDetector.Decision(embeddings.minProbability(), embeddings.margin(), embeddings.threshold(),
                        embeddings.neighbourWeight()));
        LOG.infof("playbook %s v%d of %s: rules + embeddings (%d examples, built in %d ms)", playbook.name(), version,
                owner, semantic.anchorCount(), (System.nanoTime() - start) / 1_000_000);
        return new Engine(version, playbook, new LayeredDetector(rules, semantic), stages,
                ComplianceRules.of(playbook));
    }

    /** A playbook version ready to coach with. */
    public record Engine(int version, Playbook playbook, Detector detector, StageClassifier stages,
                         ComplianceRules compliance) {
    }
}
