package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The voice agent started a reply ({@code response.created}). */
@RegisterForReflection
public record AgentResponseCreated(String responseId) implements AgentReplyEvent {
}
