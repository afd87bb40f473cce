package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A piece of the voice agent's reply text ({@code response.output_text.delta}). */
@RegisterForReflection
public record AgentTextDelta(String responseId, String itemId, String delta) implements AgentReplyEvent {
}
