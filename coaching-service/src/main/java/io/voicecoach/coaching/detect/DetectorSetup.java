package io.voicecoach.coaching.detect;

import io.quarkus.runtime.Startup;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.playbook.PlaybookSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * The detector in use: playbook rules, then, when enabled, embedding similarity for what the rules miss. Built at
 * start-up (embedding the playbook examples takes seconds), before the service reports ready.
 */
public class DetectorSetup {

    private static final Logger LOG = Logger.getLogger(DetectorSetup.class);

    @Produces
    @Singleton
    @Startup
    Detector detector(PlaybookSource playbooks, CoachingConfig config) {
        var rules = new RuleDetector(playbooks.playbook());
        var embeddings = config.embeddings();
        if (!embeddings.enabled()) {
            LOG.info("detection: rules only (embeddings disabled)");
            return rules;
        }
        long start = System.nanoTime();
        var semantic = new SemanticDetector(playbooks.playbook(), EmbeddingModels.miniLm(Path.of(embeddings.cacheDir())),
                embeddings.threshold(), embeddings.margin());
        LOG.infof("detection: rules + embeddings (%d examples embedded in %d ms, threshold %.2f, margin %.2f)",
                semantic.anchorCount(), (System.nanoTime() - start) / 1_000_000, embeddings.threshold(),
                embeddings.margin());
        return new LayeredDetector(rules, semantic);
    }
}
