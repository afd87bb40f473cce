package io.voicecoach.coaching.tools;

import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tool.results} (every instance reads all of them, see application.properties) and completes the
 * calls this instance waits for. Undecodable records are nacked into {@code tool.results.dlq}.
 */
@ApplicationScoped
public class ToolResults {

    private static final Logger LOG = Logger.getLogger(ToolResults.class);

    private final PendingCalls pending;
    private final MeterRegistry meters;

    public ToolResults(PendingCalls pending, MeterRegistry meters) {
        this.pending = pending;
        this.meters = meters;
    }

    @Incoming("tool-results")
    public CompletionStage<Void> onResult(Message<String> message) {
        try {
            var event = EventJson.decode(message.getPayload());
            if (!EventTypes.TOOL_RESULT.equals(event.type())) {
                return message.ack();
            }
            var result = event.payloadAs(ToolResult.class);
            if (result.callId() == null || result.callId().isBlank()) {
                throw new InvalidEventException("tool.result without callId");
            }
            var outcome = pending.complete(event.tenantId(), result);
            if (outcome == PendingCalls.Outcome.FOREIGN_TENANT) {
                LOG.warnf("dropping tool.result %s: tenant %s is not the caller's", result.callId(), event.tenantId());
            }
            meters.counter("voicecoach.coaching.tool.results", "outcome", outcome.name().toLowerCase()).increment();
            return message.ack();
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting tool result: %s", e.getMessage());
            return message.nack(e);
        }
    }
}
