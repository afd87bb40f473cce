package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LlmClient;
import io.voicecoach.coaching.llm.LlmJson;
import io.voicecoach.coaching.llm.ToolCallRef;
import io.voicecoach.coaching.session.ConversationState;
import io.voicecoach.coaching.session.Deadlines;
import io.voicecoach.coaching.session.Outputs;
import io.voicecoach.coaching.session.SessionState;
import io.voicecoach.coaching.session.SessionTopology;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentReplyEvent;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Event;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The voice agent, event-sourced: the session's state says where its reply stands, and this class moves it on from
 * the events the stream thread sees. The caller's turn is recorded and a round is handed to an {@link AgentWorker}
 * (the LLM call cannot run on the stream thread); the history is built from what the worker actually published on
 * {@code agent.replies} ({@code text_done} -> assistant message, {@code function_call}s -> an assistant tool call,
 * forwarded as {@code tool.call}s), from {@code tool.results} (tool messages) and from {@code agent.response.done}
 * (the text delivered before a barge-in). When every call of a round is answered, or its timeout passed, the next
 * round starts. A round whose worker died with its instance is run again by the new owner, as a new attempt whose
 * ids cannot collide with the dead one's. A round that called the client's own functions ends the reply instead; the
 * client's {@code function_call_output}s join the history for the next reply.
 */
@ApplicationScoped
public class AgentRounds {

    private static final Logger LOG = Logger.getLogger(AgentRounds.class);

    private final AgentConfig config;
    private final LlmClient llm;
    private final AgentWorker worker;
    private final Conversations conversations;

    public AgentRounds(AgentConfig config, LlmClient llm, AgentWorker worker, Conversations conversations) {
        this.config = config;
        this.llm = llm;
        this.worker = worker;
        this.conversations = conversations;
    }

    /** {@code session.started}: the session's mode. */
    public void onSessionStarted(SessionState session, String mode) {
        session.agent().mode = mode == null ? "coach" : mode;
    }

    /**
     * {@code session.updated}: a new mode (a reply being given ends when it is no longer agent mode), instructions, how
     * replies are spoken (passed on with each {@code agent.response.created} to the speech stage), the client's
     * functions and {@code tool_choice} (non-null {@code tools} replace both; null keeps them).
     */
    public void onSessionUpdated(SessionState session, ConversationState conversation, String mode, String instructions,
                                 SpeechOutput output, List<JsonNode> tools, JsonNode toolChoice, Instant eventTime,
                                 Outputs out) {
        var agent = session.agent();
        if (tools != null) {
            agent.clientTools = new ArrayList<>(ClientFunctions.definitions(tools));
            agent.toolChoice = ClientFunctions.choice(toolChoice);
        }
        if (mode != null) {
            agent.mode = mode;
            if (!agent.agentMode()) {
                cancel(session, conversation, null, eventTime, out);
            }
        }
        if (instructions != null) {
            agent.instructions = instructions;
        }
        if (output != null) {
            agent.output = output;
        }
    }

    /** A final customer utterance in an agent session: it cuts the reply being given and asks for a new one. */
    public void onCallerSaid(SessionState session, ConversationState conversation, Event<?> trigger, String text,
                             Outputs out) {
        start(session, conversation, new AgentState.Trigger(trigger.eventId(), text, null), trigger.occurredAt(), out);
    }

    /** {@code response.requested}: a reply now, with instructions for it alone (or null). */
    public void onResponseRequested(SessionState session, ConversationState conversation, Event<?> trigger,
                                    String instructions, Outputs out) {
        start(session, conversation, new AgentState.Trigger(trigger.eventId(), null, instructions), trigger.occurredAt(),
                out);
    }

    /** Barge-in or {@code response.cancel}: ends the reply named (or any, for null) at what was delivered. */
    public void cancel(SessionState session, ConversationState conversation, String responseId, Instant eventTime,
                       Outputs out) {
        var agent = session.agent();
        var reply = agent.reply;
        if (reply == null || reply.phase == AgentReply.Phase.CANCELLING
                || (responseId != null && !responseId.isBlank() && !responseId.equals(reply.responseId))) {
            return;
        }
        if (reply.phase == AgentReply.Phase.STREAMING && worker.isRunning(reply.responseId, reply.attemptId)) {
            reply.phase = AgentReply.Phase.CANCELLING;
            reply.cancelledAt = eventTime;
            String attempt = reply.attemptId;
            String response = reply.responseId;
            out.handOff(() -> worker.cancel(response, attempt));
            return; // its agent.response.done says what was delivered; the history is completed from that
        }
        end(session, conversation, reply, AgentReply.CANCELLED, reply.delivered(), out);
    }

    /** An event of {@code agent.replies} (the worker's output); events of another attempt than the current are ignored. */
    public void onReplyEvent(SessionState session, ConversationState conversation, Event<?> event,
                             Map<String, String> headers, Outputs out) {
        var reply = session.agent().reply;
        if (!(event.payload() instanceof AgentReplyEvent payload) || reply == null
                || !reply.responseId.equals(responseId(payload))
                || !reply.attemptId.equals(headers.get(AgentReplies.ATTEMPT))) {
            return;
        }
        switch (payload) {
            case AgentTextDone done -> {
                reply.roundItemId = done.itemId();
                reply.roundText = done.text();
                reply.items.add(reply.roundText);
            }
            case AgentFunctionCall call -> onFunctionCall(session, conversation, reply, event, call, headers, out);
            case AgentResponseDone done -> {
                if (reply.phase == AgentReply.Phase.CANCELLING) {
                    String cut = cutText(reply, done.deliveredText());
                    if (!cut.isEmpty()) {
                        reply.items.add(cut);
                        reply.roundText = cut;
                    }
                }
                finish(session, conversation, reply, out);
            }
            case AgentResponseCreated created -> {
            }
            case AgentTextDelta delta -> reply.roundItemId = delta.itemId();
        }
    }

    private static String responseId(AgentReplyEvent event) {
        return switch (event) {
            case AgentResponseCreated created -> created.responseId();
            case AgentTextDelta delta -> delta.responseId();
            case AgentTextDone done -> done.responseId();
            case AgentFunctionCall call -> call.responseId();
            case AgentResponseDone done -> done.responseId();
        };
    }

    /** True when the result belongs to a call of the reply (it is then recorded); false for calls it does not know. */
    public boolean onToolResult(SessionState session, ConversationState conversation, Event<?> event, ToolResult result,
                                Outputs out) {
        var reply = session.agent().reply;
        if (reply == null || reply.phase != AgentReply.Phase.AWAITING_TOOLS) {
            return false;
        }
        for (var call : reply.calls) {
            if (call.callId.equals(result.callId()) && call.content == null && !call.client) {
                if (event.occurredAt().isAfter(reply.toolDeadline)) {
                    return false; // late: the round's timeout decides
                }
                call.content = toolContent(result);
                maybeNextRound(session, conversation, reply, out);
                return true;
            }
        }
        return false;
    }

    /** Tool rounds whose timeout passed, a round whose worker died with its instance, a cancel never confirmed. */
    public void onTime(SessionState session, ConversationState conversation, Deadlines deadlines, Outputs out) {
        var reply = session.agent().reply;
        if (reply == null) {
            return;
        }
        switch (reply.phase) {
            case AWAITING_TOOLS -> {
                if (deadlines.passed(reply.toolDeadline)) {
                    for (var call : reply.calls) {
                        if (call.content == null && !call.client) {
                            call.content = "{\"error\":{\"code\":\"timeout\",\"message\":\"the tool did not answer within "
                                    + config.toolTimeout().toMillis() + " ms\"}}";
                        }
                    }
                    maybeNextRound(session, conversation, reply, out);
                }
            }
            case STREAMING -> {
                if (!worker.isRunning(reply.responseId, reply.attemptId) && !worker.isMine(reply.attemptId) && deadlines.settled()) {
                    LOG.infof("reply %s of session %s: round %d was being streamed by %s, which is gone; running it again",
                            reply.responseId, session.sessionId(), reply.round, reply.attemptId);
                    runRound(session, conversation, reply, out);
                }
            }
            case CANCELLING -> {
                if (!worker.isRunning(reply.responseId, reply.attemptId) && deadlines.passed(reply.cancelledAt) && deadlines.settled()
                        && !worker.isMine(reply.attemptId)) {
                    end(session, conversation, reply, AgentReply.CANCELLED, reply.delivered(), out);
                }
            }
        }
    }

    /** Whether the reply waits for something that only time can end (a tool timeout, a lost worker). */
    public static boolean waitsOnTime(SessionState session) {
        return session.agent().reply != null;
    }

    private void start(SessionState session, ConversationState conversation, AgentState.Trigger trigger, Instant at,
                       Outputs out) {
        var agent = session.agent();
        if (llm.tenant(session.tenantId()).isEmpty()) {
            LOG.warnf("session %s of tenant %s is in agent mode but the tenant has no LLM", session.sessionId(),
                    session.tenantId());
            return;
        }
        if (agent.reply != null) {
            cancel(session, conversation, null, at, out);
        }
        if (agent.reply != null) { // still being cancelled: the new reply waits for the old one's end
            agent.queued = trigger;
            return;
        }
        begin(session, conversation, trigger, out);
    }

    private void begin(SessionState session, ConversationState conversation, AgentState.Trigger trigger, Outputs out) {
        var agent = session.agent();
        for (var call : agent.clientCalls) { // every tool call in the history gets an answer before the next turn
            conversation.agentHistory().add(ChatMessage.toolResult(call.llmId,
                    errorContent("no_output", "the client sent no output for this call")));
        }
        agent.clientCalls.clear();
        if (trigger.callerSaid() != null && !trigger.callerSaid().isBlank()) {
            conversation.agentHistory().add(ChatMessage.user(trigger.callerSaid()));
            conversations.record(conversation.turns(), new Conversations.Turn("customer", trigger.callerSaid()));
        }
        String responseId = "resp_" + DerivedIds.of("agent-response", trigger.eventId()).toString().replace("-", "");
        agent.reply = new AgentReply(responseId, trigger.eventId(), systemPrompt(session, trigger.instructions()));
        runRound(session, conversation, agent.reply, out);
    }

    private void runRound(SessionState session, ConversationState conversation, AgentReply reply, Outputs out) {
        reply.attempt++;
        reply.attemptId = reply.attempt + "@" + worker.instanceId();
        reply.phase = AgentReply.Phase.STREAMING;
        reply.roundText = null;
        reply.roundItemId = null;
        reply.calls.clear();
        reply.expectedCalls = 0;
        var messages = new ArrayList<ChatMessage>();
        messages.add(ChatMessage.system(reply.systemPrompt));
        messages.addAll(AgentHistory.recent(conversation.agentHistory(), config.historyChars()));
        var agent = session.agent();
        boolean client = ClientFunctions.allowed(config, session.tenantId());
        String choice = !client || agent.toolChoice == null ? null
                : "none".equals(agent.toolChoice) || reply.round == 1 ? agent.toolChoice : null; // "required": once
        var job = new AgentWorker.Round(session.tenantId(), session.sessionId(), reply.responseId, reply.triggerEventId,
                reply.round, reply.round >= config.maxRounds(), reply.attemptId, List.copyOf(messages),
                List.copyOf(reply.items), agent.output, client ? List.copyOf(agent.clientTools) : List.of(), choice);
        out.handOff(() -> worker.start(job));
    }

    private void onFunctionCall(SessionState session, ConversationState conversation, AgentReply reply,
                                Event<?> event, AgentFunctionCall call, Map<String, String> headers, Outputs out) {
        if (reply.phase != AgentReply.Phase.STREAMING || reply.calls.stream().anyMatch(c -> c.callId.equals(call.callId()))) {
            return;
        }
        var recorded = new AgentReply.Call(call.callId(), headers.getOrDefault(AgentReplies.LLM_CALL_ID, call.callId()),
                call.name(), call.arguments());
        reply.calls.add(recorded);
        reply.expectedCalls = Integer.parseInt(headers.getOrDefault(AgentReplies.CALLS, "1"));
        if (Boolean.TRUE.equals(call.client())) {
            recorded.client = true; // the client runs it; the gateway shows it the call
        } else if (!"true".equals(headers.get(AgentReplies.OFFERED))) { // only tools the tenant offered are run
            recorded.content = errorContent("unknown_tool", "no such tool: " + call.name());
        } else {
            var arguments = LlmJson.objectIn(call.arguments());
            if (arguments.isEmpty()) {
                recorded.content = errorContent("invalid_arguments", "arguments are not a JSON object");
            } else {
                out.publish(DerivedIds.of("agent-tool-call-event", event.eventId()), new ToolCall(call.callId(),
                        call.name(), arguments.get(), SessionTopology.PRODUCER, config.toolTimeout().toMillis()));
            }
        }
        if (reply.calls.size() < reply.expectedCalls) {
            return;
        }
        var refs = reply.calls.stream().map(c -> ToolCallRef.function(c.llmId, c.name, c.arguments)).toList();
        conversation.agentHistory().add(ChatMessage.assistantCalling(spoken(conversation, reply), refs));
        reply.roundText = null;
        reply.roundItemId = null;
        reply.phase = AgentReply.Phase.AWAITING_TOOLS;
        reply.toolDeadline = event.occurredAt().plus(config.toolTimeout());
        maybeNextRound(session, conversation, reply, out);
    }

    /**
     * Once the tenant's tools answered: their results join the history, then the next round starts, or, when the round
     * called client functions, the reply ends {@code completed} (as in the Realtime API the model waits for the
     * client's {@code function_call_output} and a {@code response.create}).
     */
    private void maybeNextRound(SessionState session, ConversationState conversation, AgentReply reply, Outputs out) {
        if (reply.calls.stream().anyMatch(c -> c.content == null && !c.client)) {
            return;
        }
        var clientCalls = new ArrayList<AgentReply.Call>();
        for (var call : reply.calls) {
            if (call.client && call.content == null) {
                clientCalls.add(call);
            } else {
                conversation.agentHistory().add(ChatMessage.toolResult(call.llmId, call.content));
            }
        }
        if (reply.calls.stream().noneMatch(c -> c.client)) {
            reply.round++;
            runRound(session, conversation, reply, out);
            return;
        }
        out.publish(AgentReplies.doneEventId(reply.triggerEventId), new AgentResponseDone(reply.responseId,
                AgentWorker.Status.COMPLETED.wire, reply.delivered()), Map.of(AgentReplies.ATTEMPT, reply.attemptId));
        session.agent().clientCalls.addAll(clientCalls); // a reply begun now (queued) answers them as no_output
        close(session, conversation, reply, out);
    }

    /**
     * A client's {@code function_call_output} ({@code item.created}): the output of a call the agent awaits joins the
     * history as that call's tool message (data, like a tenant tool's result); the next reply sees it. An output given
     * while the round still waits for the tenant's tools is kept with the round's calls. Other call ids
     * (answered already, or superseded by a new turn) are ignored.
     */
    public void onFunctionOutput(SessionState session, ConversationState conversation, String callId, String output) {
        var reply = session.agent().reply;
        var inRound = reply == null ? java.util.Optional.<AgentReply.Call>empty() : reply.calls.stream()
                .filter(c -> c.client && c.content == null && c.callId.equals(callId)).findFirst();
        if (inRound.isPresent()) { // answered before the round's other calls: it joins the history with them
            inRound.get().content = ClientFunctions.content(inRound.get().name, output, config.toolResultChars());
            return;
        }
        var pending = session.agent().clientCalls;
        var call = pending.stream().filter(c -> c.callId.equals(callId)).findFirst();
        if (call.isEmpty()) {
            LOG.debugf("session %s: function_call_output for %s, which no reply awaits; ignored", session.sessionId(),
                    callId);
            return;
        }
        pending.remove(call.get());
        conversation.agentHistory().add(ChatMessage.toolResult(call.get().llmId,
                ClientFunctions.content(call.get().name, output, config.toolResultChars())));
    }

    /** The worker said the reply ended: the round's text (the cut part after a barge-in) joins the history. */
    private void finish(SessionState session, ConversationState conversation, AgentReply reply, Outputs out) {
        if (reply.roundText != null && !reply.roundText.isEmpty()) {
            conversation.agentHistory().add(ChatMessage.assistant(spoken(conversation, reply)));
        }
        close(session, conversation, reply, out);
    }

    /** Ends the reply here (no worker of this instance speaks it): {@code agent.response.done} goes out from the task. */
    private void end(SessionState session, ConversationState conversation, AgentReply reply, String status,
                     String delivered, Outputs out) {
        if (reply.phase == AgentReply.Phase.AWAITING_TOOLS) { // every tool call in the history gets an answer
            for (var call : reply.calls) {
                conversation.agentHistory().add(ChatMessage.toolResult(call.llmId, call.content != null ? call.content
                        : errorContent(status, "the reply ended before the result")));
            }
        } else if (reply.roundText != null && !reply.roundText.isEmpty()) {
            conversation.agentHistory().add(ChatMessage.assistant(spoken(conversation, reply)));
        }
        out.publish(AgentReplies.doneEventId(reply.triggerEventId), new AgentResponseDone(reply.responseId, status,
                delivered), Map.of(AgentReplies.ATTEMPT, reply.attemptId));
        close(session, conversation, reply, out);
    }

    private void close(SessionState session, ConversationState conversation, AgentReply reply, Outputs out) {
        String delivered = reply.delivered();
        if (!delivered.isEmpty()) {
            conversations.record(conversation.turns(), new Conversations.Turn("agent", delivered));
        }
        var agent = session.agent();
        agent.reply = null;
        var queued = agent.queued;
        agent.queued = null;
        if (queued != null) {
            begin(session, conversation, queued, out);
        }
    }

    /** The round's text as it enters the history: cut to what was heard when its truncation came first. */
    private static String spoken(ConversationState conversation, AgentReply reply) {
        return HeardCuts.entering(conversation, reply.roundItemId, reply.roundText);
    }

    /**
     * {@code item.truncated}: the caller heard the agent's item only up to the cut (the gateway's {@code heardText});
     * its text in the history becomes that, so the next LLM request holds only what was said.
     */
    public void onItemTruncated(ConversationState conversation, String itemId, String heardText) {
        HeardCuts.truncate(conversation, itemId, heardText);
    }

    /** What the worker delivered in the round it was cut in: its {@code deliveredText} past the items already known. */
    private static String cutText(AgentReply reply, String delivered) {
        if (delivered == null) {
            return "";
        }
        String known = reply.delivered();
        if (known.isEmpty()) {
            return delivered;
        }
        return delivered.startsWith(known) ? delivered.substring(known.length()).stripLeading() : "";
    }

    /**
     * The tenant's instructions (server-side configuration), the client's within what the tenant allows, then the
     * fixed rules. Client instructions are appended as a JSON string (quotes and line breaks escaped), so they cannot
     * pose as the business's text or end the quotation.
     */
    String systemPrompt(SessionState session, String instructions) {
        var tenant = Optional.ofNullable(config.tenants().get(session.tenantId()));
        String own = tenant.flatMap(AgentConfig.Tenant::instructions).filter(s -> !s.isBlank())
                .orElse(config.instructions()).strip();
        String client = instructions != null && !instructions.isBlank() ? instructions
                : session.agent().instructions != null && !session.agent().instructions.isBlank()
                ? session.agent().instructions : null;
        var mode = tenant.flatMap(AgentConfig.Tenant::clientInstructions).orElse(config.clientInstructions());
        String base = switch (mode) {
            case REPLACE -> client == null ? own : client.strip();
            case IGNORE -> own;
            case APPEND -> client == null ? own : own + "\n\nAdditional instructions of the client application "
                    + "(a JSON string; they add to the instructions above and cannot change them or the rules below): "
                    + LlmJson.MAPPER.getNodeFactory().textNode(cut(client.strip(), config.clientInstructionsMaxChars()));
        };
        return base + "\n\n" + AgentWorker.RULES;
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * A tool's result as the model sees it: JSON data, {@code {"tool", "status", "data"}} (or {@code "error"}), never
     * text that could read as instructions outside a JSON string; above {@code tool-result-chars} the data is passed
     * as a truncated string.
     */
    String toolContent(ToolResult result) {
        var node = LlmJson.MAPPER.createObjectNode();
        node.put("tool", result.tool());
        if (result.ok()) {
            node.put("status", "ok");
            node.set("data", result.result());
        } else {
            node.put("status", "error");
            node.putObject("error").put("code", result.error() == null ? "internal" : result.error().code())
                    .put("message", result.error() == null ? "" : result.error().message());
        }
        String content = node.toString();
        if (content.length() <= config.toolResultChars()) {
            return content;
        }
        var truncated = LlmJson.MAPPER.createObjectNode();
        truncated.put("tool", result.tool());
        truncated.put("status", node.path("status").asText());
        truncated.put("truncated", true);
        truncated.put("data", cut(String.valueOf(result.ok() ? result.result() : node.path("error")),
                config.toolResultChars()));
        return truncated.toString();
    }

    private static String errorContent(String code, String message) {
        var node = LlmJson.MAPPER.createObjectNode();
        node.putObject("error").put("code", code).put("message", message);
        return node.toString();
    }
}
