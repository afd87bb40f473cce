package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The client asked the voice agent to respond ({@code response.create}). */
@RegisterForReflection
public record ResponseRequested(String responseId, String instructions) implements SessionEvent {
}
