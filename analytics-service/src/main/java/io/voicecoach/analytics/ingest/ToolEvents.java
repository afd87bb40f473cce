package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import static io.voicecoach.analytics.ingest.Payloads.required;

/** {@code tool.calls} and {@code tool.results}: which tools ran for a session, how they ended and how fast. */
@ApplicationScoped
public class ToolEvents {

    private final EventGate gate;

    public ToolEvents(EventGate gate) {
        this.gate = gate;
    }

    @Incoming("tool-calls")
    @Blocking
    @Transactional
    public void onCall(String value) {
        var event = EventJson.decode(value);
        if (EventTypes.TOOL_CALL.equals(event.type())) {
            call(event, event.payloadAs(ToolCall.class));
        } else {
            gate.skipped(Topics.TOOL_CALLS, event);
        }
    }

    @Incoming("tool-results")
    @Blocking
    @Transactional
    public void onResult(String value) {
        var event = EventJson.decode(value);
        if (EventTypes.TOOL_RESULT.equals(event.type())) {
            result(event, event.payloadAs(ToolResult.class));
        } else {
            gate.skipped(Topics.TOOL_RESULTS, event);
        }
    }

    private void call(Envelope event, ToolCall call) {
        String callId = required(call.callId(), "callId", event.type());
        required(call.tool(), "tool", event.type());
        gate.admit(Topics.TOOL_CALLS, event).ifPresent(session -> {
            var row = ToolCalls.claim(session, callId);
            row.tool = call.tool();
            row.arguments = json(call.arguments());
            row.requestedBy = call.requestedBy();
            row.timeoutMs = call.timeoutMs();
            row.requestedAt = event.occurredAt();
        });
    }

    private void result(Envelope event, ToolResult result) {
        String callId = required(result.callId(), "callId", event.type());
        String status = required(result.status(), "status", event.type());
        if (!ToolResult.OK.equals(status) && !ToolResult.ERROR.equals(status)) {
            throw new InvalidEventException(event.type() + " with unknown status " + status);
        }
        gate.admit(Topics.TOOL_RESULTS, event).ifPresent(session -> {
            var row = ToolCalls.claim(session, callId);
            if (row.tool == null) {
                row.tool = result.tool();
            }
            row.status = status;
            row.result = json(result.result());
            row.errorCode = result.error() == null ? null : result.error().code();
            row.errorMessage = result.error() == null ? null : result.error().message();
            row.toolLatencyMs = result.latencyMs();
            row.completedAt = event.occurredAt();
        });
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }
}
