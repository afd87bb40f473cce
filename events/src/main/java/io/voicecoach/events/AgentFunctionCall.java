package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The voice agent called a tool ({@code response.function_call_arguments.done}); {@code arguments} is JSON text. */
@RegisterForReflection
public record AgentFunctionCall(String responseId, String itemId, String callId, String name, String arguments) implements AgentReplyEvent {
}
