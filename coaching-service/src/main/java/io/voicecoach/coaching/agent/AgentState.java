package io.voicecoach.coaching.agent;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.SpeechOutput;

import java.util.UUID;

/** A session's voice-agent state: its mode, client instructions, the reply being given and one waiting to start. */
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

    public boolean agentMode() {
        return AGENT_MODE.equals(mode);
    }

    public AgentReply reply() {
        return reply;
    }
}
