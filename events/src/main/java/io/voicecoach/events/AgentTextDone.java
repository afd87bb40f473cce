package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The whole text of one reply item ({@code response.output_text.done}). */
@RegisterForReflection
public record AgentTextDone(String responseId, String itemId, String text) implements AgentReplyEvent {
}
