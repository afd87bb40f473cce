package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The voice agent called a tool ({@code response.function_call_arguments.done}); {@code arguments} is JSON text.
 *
 * @param client true: a function the client declared in {@code session.tools}, which the client runs and answers with
 *               a {@code function_call_output}; false: a tenant tool VoiceCoach runs; null (a record written before
 *               this field): the receiver decides by the names the client declared
 */
@RegisterForReflection
public record AgentFunctionCall(String responseId, String itemId, String callId, String name, String arguments,
                                Boolean client) implements AgentReplyEvent {

    /** A call not marked either way: the receiver decides by the names the client declared. */
    public AgentFunctionCall(String responseId, String itemId, String callId, String name, String arguments) {
        this(responseId, itemId, callId, name, arguments, null);
    }

    /** Whether the client runs this call; {@code declared}: the client's function names, for a record without the field. */
    public boolean runByClient(java.util.Set<String> declared) {
        return client != null ? client : declared.contains(name);
    }
}
