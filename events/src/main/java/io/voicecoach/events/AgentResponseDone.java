package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A reply ended ({@code response.done}).
 *
 * @param status        {@code completed}, {@code cancelled}, {@code failed}
 * @param deliveredText the text actually sent before the reply ended (shorter than planned after a barge-in)
 */
@RegisterForReflection
public record AgentResponseDone(String responseId, String status, String deliveredText) implements AgentReplyEvent {
}
