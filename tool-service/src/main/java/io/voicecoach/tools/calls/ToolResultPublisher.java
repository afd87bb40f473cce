package io.voicecoach.tools.calls;

import io.voicecoach.events.Event;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes {@code tool.result} events on {@code tool.results}, keyed by session id. */
@ApplicationScoped
public class ToolResultPublisher {

    private final EventPublisher<ToolResult> results;

    public ToolResultPublisher(@Channel("tool-results") Emitter<Event<?>> results,
                               @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.results = new EventPublisher<>(Topics.TOOL_RESULTS, results, producer);
    }

    /** Blocks until the broker acknowledged the record, so the call is committed only after its result is out. */
    public void publish(String tenantId, String sessionId, AnsweredCall answered) {
        results.publish(tenantId, sessionId, answered.seq(), answered.eventId(), answered.result())
                .toCompletableFuture().join();
    }
}
