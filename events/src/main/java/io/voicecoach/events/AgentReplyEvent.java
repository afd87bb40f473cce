package io.voicecoach.events;

/** Payloads on {@link Topics#AGENT_REPLIES}: the voice agent's replies, published by coaching-service. */
public sealed interface AgentReplyEvent extends Payload permits AgentResponseCreated, AgentTextDelta, AgentTextDone,
        AgentFunctionCall, AgentResponseDone {
}
