package io.voicecoach.coaching.detect;

import io.voicecoach.events.Transcript;

import java.util.Optional;

/** Finds the one thing worth coaching in an utterance, if any. Rules today; embeddings and an LLM later. */
public interface Detector {

    Optional<Detection> detect(Transcript transcript);

    /** With the tenant's own playbook where the detector knows tenants; otherwise as {@link #detect(Transcript)}. */
    default Optional<Detection> detect(String tenantId, Transcript transcript) {
        return detect(transcript);
    }
}
