package io.voicecoach.gateway.fanout;

import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Item;
import io.voicecoach.gateway.realtime.ServerEvent.Part;
import io.voicecoach.gateway.realtime.ServerEvent.Response;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.ReplyProgress;

import java.util.ArrayList;
import java.util.List;

/**
 * The Realtime GA lifecycle of a voice-agent reply, built from its {@code agent.replies} records for one session:
 * {@code response.created}; per output item {@code response.output_item.added}, {@code conversation.item.added},
 * ({@code response.content_part.added}, text deltas, {@code response.output_text.done},
 * {@code response.content_part.done}) or ({@code response.function_call_arguments.delta|done}), then
 * {@code response.output_item.done} and {@code conversation.item.done}; {@code response.done} with every output item
 * (items still open when the reply ends, e.g. after a barge-in, end {@code incomplete} with the text sent). What the
 * client has been shown is its stream's {@link ReplyProgress}; the items go into the session's conversation.
 * <p>
 * A call the agent marks {@code client} (a function the client declared in {@code session.tools}; for a record
 * without the mark, a call by a declared name) is a {@code function_call} item (the client runs
 * it and answers with a {@code function_call_output}); a call of a tenant tool that VoiceCoach runs itself is only
 * announced with {@code response.function_call_arguments.done} (the client has nothing to do).
 */
final class ReplyFrames {

    private final RealtimeSession session;
    private final ReplyProgress progress;
    private final List<String> frames = new ArrayList<>();

    private ReplyFrames(RealtimeSession session) {
        this.session = session;
        this.progress = session.client().replies();
    }

    static List<String> created(RealtimeSession session, String responseId) {
        session.conversation().responseActive(responseId);
        session.client().replies().outputs(responseId);
        return List.of(RealtimeJson.frame(new ServerEvent.ResponseCreated(Response.inProgress(responseId,
                session.conversationId(), null, null))));
    }

    static List<String> textDelta(RealtimeSession session, AgentTextDelta delta) {
        var reply = new ReplyFrames(session);
        int index = reply.message(delta.responseId(), delta.itemId());
        reply.progress.appendText(delta.responseId(), index, delta.delta());
        reply.add(new ServerEvent.ResponseTextDelta(delta.responseId(), delta.itemId(), index, 0, delta.delta()));
        return reply.frames;
    }

    static List<String> textDone(RealtimeSession session, AgentTextDone done) {
        var reply = new ReplyFrames(session);
        int index = reply.message(done.responseId(), done.itemId());
        reply.finishMessage(done.responseId(), index, done.text(), Item.COMPLETED);
        return reply.frames;
    }

    static List<String> functionCall(RealtimeSession session, AgentFunctionCall call) {
        var reply = new ReplyFrames(session);
        String responseId = call.responseId();
        if (!call.runByClient(session.settings().clientToolNames())) {
            int index = reply.progress.outputs(responseId).size();
            reply.add(new ServerEvent.FunctionCallArgumentsDone(responseId, call.itemId(), index, call.callId(),
                    call.name(), call.arguments()));
            return reply.frames;
        }
        int index = reply.progress.indexOf(responseId, call.itemId());
        if (index < 0) {
            var item = Item.functionCall(call.itemId(), Item.IN_PROGRESS, call.callId(), call.name(), "");
            index = reply.progress.add(responseId, item);
            String previous = session.conversation().append(item);
            reply.add(new ServerEvent.OutputItemAdded(responseId, index, item));
            reply.add(new ServerEvent.ItemAdded(previous, item));
        }
        reply.add(new ServerEvent.FunctionCallArgumentsDelta(responseId, call.itemId(), index, call.callId(),
                call.arguments()));
        reply.add(new ServerEvent.FunctionCallArgumentsDone(responseId, call.itemId(), index, call.callId(),
                call.name(), call.arguments()));
        var item = Item.functionCall(call.itemId(), Item.COMPLETED, call.callId(), call.name(), call.arguments());
        reply.finish(responseId, index, item);
        return reply.frames;
    }

    static List<String> done(RealtimeSession session, AgentResponseDone done) {
        var reply = new ReplyFrames(session);
        String responseId = done.responseId();
        var outputs = reply.progress.outputs(responseId);
        for (int index = 0; index < outputs.size(); index++) {
            var output = outputs.get(index);
            if (!output.done()) {
                reply.finishMessage(responseId, index, output.text(), Item.INCOMPLETE);
            }
        }
        var items = reply.progress.end(responseId).stream().map(ReplyProgress.Output::item).toList();
        session.conversation().responseEnded(responseId);
        reply.add(new ServerEvent.ResponseDone(Response.ended(responseId, status(done.status()),
                details(done.status(), done.code()), session.conversationId(), items, null,
                done.deliveredText() == null ? null : ServerEvent.ResponseNotes.delivered(done.deliveredText()))));
        return reply.frames;
    }

    /** The index of the assistant message {@code itemId}, adding it (and its text part) when it is new. */
    private int message(String responseId, String itemId) {
        int index = progress.indexOf(responseId, itemId);
        if (index >= 0) {
            return index;
        }
        var item = Item.message(itemId, Item.ASSISTANT, Item.IN_PROGRESS, List.of(), null);
        index = progress.add(responseId, item);
        String previous = session.conversation().append(item);
        add(new ServerEvent.OutputItemAdded(responseId, index, item));
        add(new ServerEvent.ItemAdded(previous, item));
        add(new ServerEvent.ContentPartAdded(responseId, itemId, index, 0, Part.text("")));
        return index;
    }

    private void finishMessage(String responseId, int index, String text, String status) {
        String itemId = progress.output(responseId, index).itemId();
        add(new ServerEvent.ResponseTextDone(responseId, itemId, index, 0, text));
        add(new ServerEvent.ContentPartDone(responseId, itemId, index, 0, Part.text(text)));
        finish(responseId, index, Item.message(itemId, Item.ASSISTANT, status,
                List.of(new ServerEvent.OutputText(text)), null));
    }

    private void finish(String responseId, int index, Item item) {
        progress.done(responseId, index, item);
        var stored = session.conversation().update(item.id(), existing -> item.withNotes(existing.voicecoach()))
                .orElse(item);
        if (stored == item) {
            session.conversation().append(item);
        }
        add(new ServerEvent.OutputItemDone(responseId, index, stored));
        add(new ServerEvent.ItemDone(session.conversation().previousOf(item.id()).orElse(null), stored));
    }

    private void add(ServerEvent event) {
        frames.add(RealtimeJson.frame(event));
    }

    /** Coaching's statuses are the Realtime ones; anything else reads as failed. */
    private static String status(String status) {
        return switch (status == null ? "" : status) {
            case Response.COMPLETED, Response.CANCELLED, Response.FAILED -> status;
            default -> Response.FAILED;
        };
    }

    /** A failed reply carries coaching's code (docs/contracts.md, e.g. {@code llm_busy}), else {@code agent_failed}. */
    private static ServerEvent.StatusDetails details(String status, String code) {
        return switch (status(status)) {
            case Response.CANCELLED -> new ServerEvent.StatusDetails(Response.CANCELLED, "turn_detected", null);
            case Response.FAILED -> new ServerEvent.StatusDetails(Response.FAILED, null,
                    new ServerEvent.EngineError("server_error", code == null ? "agent_failed" : code,
                            "the voice agent could not complete the reply", null));
            default -> null;
        };
    }
}
