package io.voicecoach.tools.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.registry.ToolErrors;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code tool.call} envelopes from {@code tool.calls}. Records that are not tool calls are rejected and
 * land in {@code tool.calls.dlq}; every decodable call gets exactly one stored result, published on each delivery.
 * <p>
 * A call that fails because the database is unavailable (a restart, a fail-over) is tried again, with a back-off
 * from 100 ms to 1 s, until the caller's deadline ({@link Deadline#forRetries}); a call whose deadline passes first is answered {@code unavailable}
 * (not recorded: the database is gone), so the caller hears a clear error in time instead of waiting for nothing.
 */
@ApplicationScoped
public class ToolCallConsumer {

    private static final Logger LOG = Logger.getLogger(ToolCallConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final ToolCallHandler handler;
    private final ToolResultPublisher publisher;
    private final DatabaseOutages outages;
    private final ToolsConfig.Timeouts timeouts;
    private final Counter outageRetries;

    public ToolCallConsumer(ToolCallHandler handler, ToolResultPublisher publisher, DatabaseOutages outages,
                            ToolsConfig config, MeterRegistry meters) {
        this.handler = handler;
        this.publisher = publisher;
        this.outages = outages;
        this.timeouts = config.timeout();
        this.outageRetries = Counter.builder("voicecoach.tool.database.retries")
                .description("Tool call attempts repeated because the database was unavailable")
                .register(meters);
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
        var deadline = Deadline.forRetries(timeouts, Objects.requireNonNullElse(call.tool(), ""),
                envelope.occurredAt(), call.timeoutMs(), Instant.now());
        var backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return answerOnce(envelope, call, start);
            } catch (DatabaseUnavailableException e) {
                if (deadline.remainingMillis() <= backoff.toMillis()) {
                    LOG.warnf("tool call %s (%s) of tenant %s: the database stayed unavailable until %s (%d attempts)",
                            call.callId(), call.tool(), envelope.tenantId(), deadline.reason(), attempt);
                    return AnsweredCall.unrecorded(new ToolResult(call.callId(), call.tool(), ToolResult.ERROR, null,
                            new ToolError(ToolErrors.UNAVAILABLE, "the tool service cannot reach its database; the "
                                    + "call was not carried out, try again in a moment"),
                            (System.nanoTime() - start) / 1_000_000));
                }
                if (attempt == 1) {
                    LOG.warnf("tool call %s (%s) of tenant %s: the database is unavailable (%s); retrying until %s",
                            call.callId(), call.tool(), envelope.tenantId(), e.getCause().getMessage(),
                            deadline.reason());
                }
                outageRetries.increment();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private AnsweredCall answerOnce(Event<? extends ToolCall> envelope, ToolCall call, long start) throws DatabaseUnavailableException {
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
            if (outages.explains(e)) {
                throw new DatabaseUnavailableException(e);
            }
            return unrecorded(call, e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }

    /** The attempt failed because the database is unavailable; the cause is what it failed with. */
    private static final class DatabaseUnavailableException extends Exception {
        DatabaseUnavailableException(RuntimeException cause) {
            super(cause);
        }
    }

    /** The audit row could not be written either; answer anyway so the caller is not left waiting. */
    private static AnsweredCall unrecorded(ToolCall call, RuntimeException e) {
        LOG.errorf(e, "tool call %s (%s) failed", call.callId(), call.tool());
        var error = new ToolError(ToolErrors.INTERNAL, "the tool service failed unexpectedly; try again later");
        return AnsweredCall.unrecorded(new ToolResult(call.callId(), call.tool(), ToolResult.ERROR, null, error, 0));
    }
}
