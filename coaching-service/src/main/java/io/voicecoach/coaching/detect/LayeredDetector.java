package io.voicecoach.coaching.detect;

import io.voicecoach.events.Transcript;

import java.util.Optional;

/** The rules decide when they find something; otherwise the semantic detector gets its turn. */
public final class LayeredDetector implements Detector {

    private final Detector rules;
    private final Detector semantic;

    public LayeredDetector(Detector rules, Detector semantic) {
        this.rules = rules;
        this.semantic = semantic;
    }

    @Override
    public Optional<Detection> detect(Transcript transcript) {
        var found = rules.detect(transcript);
        return found.isPresent() ? found : semantic.detect(transcript);
    }
}
