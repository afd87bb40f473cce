package io.voicecoach.coaching.agent;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.SpeechOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A session's voice-agent state: its mode, client instructions and functions, the reply being given, one waiting to
 * start and the client function calls awaiting their output.
 */
@RegisterForReflection
public final class AgentState {

    static final String AGENT_MODE = "agent";

    /** A reply asked for while the previous one is being cancelled: it starts once that one's end is known. */
    @RegisterForReflection
    record Trigger(UUID eventId, String callerSaid, String instructions) {
    }

    String mode = "coach";
    String instructions;
    /** How the session wants replies spoken (its last {@code session.updated} that said), null when never told. */
    SpeechOutput output;
    AgentReply reply;
    Trigger queued;
    /** The client's functions ({@code session.updated.tools}) as Chat Completions tool definitions. */
    List<JsonNode> clientTools = new ArrayList<>();
    /** The client's {@code tool_choice} as far as it is passed on ({@code auto}, {@code none}, {@code required}), or null. */
    String toolChoice;
    /** Client function calls of the last reply awaiting their {@code function_call_output} (in the history already). */
    List<AgentReply.Call> clientCalls = new ArrayList<>();

    public boolean agentMode() {
        return AGENT_MODE.equals(mode);
    }

    public AgentReply reply() {
        return reply;
    }
}
