package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The client added an item to its Realtime conversation that is not the caller's words (typed user text goes out as
 * a {@link Transcript} instead): a {@code system} or {@code assistant} message, or the output of a function the
 * client ran ({@code function_call_output}, answering an {@link AgentFunctionCall} with the same {@code callId}).
 *
 * @param previousItemId the item it follows, null at the start of the conversation
 * @param type           {@code message} or {@code function_call_output}
 * @param role           {@code system} or {@code assistant} for a message, null otherwise
 * @param text           the message's text, null otherwise
 * @param callId         the function call answered, null for a message
 * @param output         the function's output as the client gave it (usually JSON text), null for a message
 */
@RegisterForReflection
public record ItemCreated(String itemId, String previousItemId, String type, String role, String text, String callId,
                          String output) implements SessionEvent {
}
