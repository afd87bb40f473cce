package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** The gateway wrote a suggestion frame to a client WebSocket; closes the latency chain. */
@RegisterForReflection
public record SuggestionDelivered(String suggestionId, String utteranceId, Instant suggestedAt, Instant deliveredAt) implements SessionEvent {
}
