package io.voicecoach.tools.calls;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import io.voicecoach.tools.registry.ToolErrors;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Answers {@code tool.call} envelopes from {@code tool.calls}. Records that are not tool calls are rejected and
 * land in {@code tool.calls.dlq}; every decodable call gets exactly one stored result, published on each delivery.
 */
@ApplicationScoped
public class ToolCallConsumer {

    private static final Logger LOG = Logger.getLogger(ToolCallConsumer.class);

    private final ToolCallHandler handler;
    private final ToolResultPublisher publisher;

    public ToolCallConsumer(ToolCallHandler handler, ToolResultPublisher publisher) {
        this.handler = handler;
        this.publisher = publisher;
    }

    /**
     * Up to {@code smallrye.messaging.worker.tool-calls.max-concurrency} calls at once on a worker pool of their own
     * (one at a time capped throughput at the latency of one call plus its acknowledged publish). Offsets are still
     * committed in order; calls of one session may be answered out of order, each result names its call id.
     */
    @Incoming("tool-calls")
    @Blocking(value = "tool-calls", ordered = false)
    public CompletionStage<Void> onToolCall(Message<byte[]> message) {
        Event<? extends ToolCall> envelope;
        ToolCall call;
        try {
            envelope = EventCodec.decode(message.getPayload(), ToolCall.class);
            call = toolCall(envelope);
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting tool call record: %s", e.getMessage());
            return message.nack(e);
        }
        publisher.publish(envelope.tenantId(), envelope.sessionId(), answer(envelope, call));
        return message.ack();
    }

    private static ToolCall toolCall(Event<? extends ToolCall> envelope) {
        if (envelope.tenantId().isBlank() || envelope.sessionId().isBlank()) {
            throw new InvalidEventException(EventTypes.TOOL_CALL + " without tenantId or sessionId");
        }
        var call = envelope.payload();
        if (call.callId() == null || call.callId().isBlank()) {
            throw new InvalidEventException(EventTypes.TOOL_CALL + " without callId");
        }
        return call;
    }

    private AnsweredCall answer(Event<? extends ToolCall> envelope, ToolCall call) {
        long start = System.nanoTime();
        try {
            return handler.answer(envelope.tenantId(), envelope.sessionId(), call, envelope.occurredAt());
        } catch (DeadlineExceededException e) {
            LOG.warnf("tool call %s (%s) of tenant %s timed out: %s", call.callId(), call.tool(), envelope.tenantId(),
                    e.getMessage());
            try {
                return handler.recordTimeout(envelope.tenantId(), envelope.sessionId(), call, e.getMessage(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException recordFailed) {
                return unrecorded(call, recordFailed);
            }
        } catch (RuntimeException e) {
            return unrecorded(call, e);
        }
    }

    /** The audit row could not be written either; answer anyway so the caller is not left waiting. */
    private static AnsweredCall unrecorded(ToolCall call, RuntimeException e) {
        LOG.errorf(e, "tool call %s (%s) failed", call.callId(), call.tool());
        var error = new ToolError(ToolErrors.INTERNAL, "the tool service failed unexpectedly; try again later");
        return AnsweredCall.unrecorded(new ToolResult(call.callId(), call.tool(), ToolResult.ERROR, null, error, 0));
    }
}
