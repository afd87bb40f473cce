package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A knowledge-base chunk a suggestion or reply cites. */
@RegisterForReflection
public record Citation(String documentId, String documentTitle, int chunkIndex, String excerpt, double score) {
}
