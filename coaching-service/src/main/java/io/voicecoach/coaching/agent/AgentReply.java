package io.voicecoach.coaching.agent;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reply the agent is giving, as the session's state records it. A round is {@link Phase#STREAMING} while a
 * worker streams it from the LLM (on the instance named in {@code attemptId}), then {@link Phase#AWAITING_TOOLS}
 * while the processor waits for the round's {@code tool.results}; {@link Phase#CANCELLING} once a barge-in asked the
 * local worker to stop and its {@code agent.response.done} is awaited.
 */
@RegisterForReflection
public final class AgentReply {

    public enum Phase { STREAMING, AWAITING_TOOLS, CANCELLING }

    static final String CANCELLED = "cancelled";

    /** One tool call of the round; {@code content} is what the model gets back, null while it is awaited. */
    @RegisterForReflection
    public static final class Call {
        String callId;
        String llmId;
        String name;
        String arguments;
        String content;
        /** A function the client runs: its output comes as an {@code item.created}, not a {@code tool.result}. */
        boolean client;

        Call() {
        }

        Call(String callId, String llmId, String name, String arguments) {
            this.callId = callId;
            this.llmId = llmId;
            this.name = name;
            this.arguments = arguments;
        }
    }

    String responseId;
    UUID triggerEventId;
    String systemPrompt;
    int round;
    int attempt;
    /** {@code <attempt>@<instance id>}: events of any other attempt (a dead or fenced worker) are ignored. */
    String attemptId;
    Phase phase;
    /** The current round's {@code text_done}, until the round's end decides how it enters the history. */
    String roundText;
    /** The item of {@code roundText} (its last {@code text_delta} or {@code text_done}). */
    String roundItemId;
    /** Every item's text published in this reply so far (what {@code deliveredText} is made of). */
    final List<String> items = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();
    /** Calls announced by the round's {@code function_call} events. */
    int expectedCalls;
    /** Event time until which the round's tool results count. */
    Instant toolDeadline;
    /** Event time of the cancel request, while {@link Phase#CANCELLING}. */
    Instant cancelledAt;

    AgentReply() {
    }

    AgentReply(String responseId, UUID triggerEventId, String systemPrompt) {
        this.responseId = responseId;
        this.triggerEventId = triggerEventId;
        this.systemPrompt = systemPrompt;
        this.round = 1;
    }

    public String responseId() {
        return responseId;
    }

    public Phase phase() {
        return phase;
    }

    public String attemptId() {
        return attemptId;
    }

    public Instant toolDeadline() {
        return toolDeadline;
    }

    /** Whether the round waits for the result of {@code callId}. */
    public boolean waitsFor(String callId) {
        return phase == Phase.AWAITING_TOOLS && calls.stream().anyMatch(c -> c.callId.equals(callId) && c.content == null && !c.client);
    }

    String delivered() {
        return String.join(" ", items);
    }
}
