package io.voicecoach.coaching.agent;

import io.smallrye.mutiny.subscription.Cancellable;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.ToolCallRef;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.EventTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One voice-agent response: what has been published so far and whether it was cancelled. Every change happens under
 * the session's monitor, so once {@link #cancel()} returns no further text of this reply is published and the
 * history holds exactly what was delivered.
 */
final class Reply {

    static final String COMPLETED = "completed";
    static final String CANCELLED = "cancelled";
    static final String FAILED = "failed";

    final String responseId;
    final UUID triggerEventId;
    final AgentSession session;
    final String instructions;
    /** Completes when the reply is cancelled, to wake a thread waiting for the LLM or for tool results. */
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    private final AgentReplies out;
    private final java.util.function.Consumer<String> onDelivered;
    private final List<String> deliveredItems = new ArrayList<>();
    private final StringBuilder roundText = new StringBuilder();
    private final List<String> openToolCalls = new ArrayList<>();
    private Cancellable upstream;
    private boolean finished;
    private int events;

    Reply(String responseId, UUID triggerEventId, AgentSession session, String instructions, AgentReplies out,
          java.util.function.Consumer<String> onDelivered) {
        this.responseId = responseId;
        this.triggerEventId = triggerEventId;
        this.session = session;
        this.instructions = instructions;
        this.out = out;
        this.onDelivered = onDelivered;
    }

    boolean isCancelled() {
        return cancelled.isDone();
    }

    /** Publishes under the session lock; false when the reply already ended. */
    boolean emit(String type, Object payload) {
        synchronized (session) {
            if (finished) {
                return false;
            }
            out.reply(session.tenantId, session.sessionId, DerivedIds.of("agent-event:" + (++events), triggerEventId), type, payload);
            return true;
        }
    }

    void streaming(Cancellable subscription) {
        boolean cancelNow;
        synchronized (session) {
            upstream = subscription;
            cancelNow = finished;
        }
        if (cancelNow) {
            subscription.cancel();
        }
    }

    void delta(String itemId, String text) {
        synchronized (session) {
            if (!finished && emit(EventTypes.AGENT_TEXT_DELTA, new AgentTextDelta(responseId, itemId, text))) {
                roundText.append(text);
            }
        }
    }

    /**
     * Ends an LLM round: publishes the item's text and records the assistant turn (with its tool calls, whose results
     * are owed before the next round).
     */
    boolean endRound(String itemId, String text, List<ToolCallRef> calls) {
        synchronized (session) {
            if (finished) {
                return false;
            }
            if (!text.isEmpty()) {
                emit(EventTypes.AGENT_TEXT_DONE, new AgentTextDone(responseId, itemId, text));
                deliveredItems.add(text);
            }
            if (!calls.isEmpty()) {
                session.add(ChatMessage.assistantCalling(text, calls));
                calls.forEach(c -> openToolCalls.add(c.id()));
            } else if (!text.isEmpty()) {
                session.add(ChatMessage.assistant(text));
            }
            roundText.setLength(0);
            return true;
        }
    }

    /** Records a tool's result (for the next round); false when the reply already ended. */
    boolean toolResult(String toolCallId, String content) {
        synchronized (session) {
            if (finished) {
                return false;
            }
            session.add(ChatMessage.toolResult(toolCallId, content));
            openToolCalls.remove(toolCallId);
            return true;
        }
    }

    void complete(String status) {
        end(status);
    }

    void fail() {
        end(FAILED);
    }

    /** Barge-in or {@code response.cancel}: stops the stream; true when this call ended the reply. */
    boolean cancel() {
        Cancellable subscription;
        synchronized (session) {
            if (finished) {
                return false;
            }
            end(CANCELLED);
            subscription = upstream;
        }
        cancelled.complete(null);
        if (subscription != null) {
            subscription.cancel();
        }
        return true;
    }

    private void end(String status) {
        synchronized (session) {
            if (finished) {
                return;
            }
            if (!roundText.isEmpty()) { // a round cut short: only what was published counts
                session.add(ChatMessage.assistant(roundText.toString()));
                deliveredItems.add(roundText.toString());
                roundText.setLength(0);
            }
            for (String id : openToolCalls) { // every tool call in the history gets an answer
                session.add(ChatMessage.toolResult(id, "{\"error\":{\"code\":\"" + status + "\",\"message\":\"the reply ended before the result\"}}"));
            }
            openToolCalls.clear();
            String delivered = String.join(" ", deliveredItems);
            emit(EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone(responseId, status, delivered));
            finished = true;
            if (session.running == this) {
                session.running = null;
            }
            if (!delivered.isEmpty()) {
                onDelivered.accept(delivered);
            }
        }
    }
}
