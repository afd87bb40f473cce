package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A reply item could not be spoken (from {@code chunk} on; the chunks before it were published). Its text still
 * reaches the client on {@link Topics#AGENT_REPLIES}.
 *
 * @param code {@code engine_timeout}, {@code engine_error}, {@code engine_unavailable} (docs/contracts.md)
 */
@RegisterForReflection
public record AgentSpeechFailed(String responseId, String itemId, int chunk, String code, String message,
                                String engine) implements AgentSpeechEvent {
}
