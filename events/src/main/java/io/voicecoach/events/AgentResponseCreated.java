package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The voice agent started a reply ({@code response.created}).
 *
 * @param speech how the session wants it spoken, as coaching last heard from {@code session.updated}; null when it
 *               was never told (the speech stage speaks with the tenant's voice at 24 kHz)
 */
@RegisterForReflection
public record AgentResponseCreated(String responseId, SpeechOutput speech) implements AgentReplyEvent {

    public AgentResponseCreated(String responseId) {
        this(responseId, null);
    }
}
