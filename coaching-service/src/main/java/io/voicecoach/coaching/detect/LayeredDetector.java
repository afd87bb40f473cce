package io.voicecoach.coaching.detect;

import io.voicecoach.events.Transcript;

import java.util.Optional;

/**
 * The rules decide when they find something; otherwise the semantic detector gets its turn, and what it finds stands
 * unless the playbook's negative phrases or patterns for that category veto it.
 */
public final class LayeredDetector implements Detector {

    private final RuleDetector rules;
    private final Detector semantic;

    public LayeredDetector(RuleDetector rules, Detector semantic) {
        this.rules = rules;
        this.semantic = semantic;
    }

    @Override
    public Optional<Detection> detect(Transcript transcript) {
        var found = rules.detect(transcript);
        if (found.isPresent()) {
            return found;
        }
        return semantic.detect(transcript).filter(detection -> !rules.vetoes(detection.category(), transcript));
    }
}
