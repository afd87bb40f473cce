package io.voicecoach.tools.calls;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;

/** Publishes {@code tool.result} envelopes on {@code tool.results}, keyed by session id. */
@ApplicationScoped
public class ToolResultPublisher {

    private final MutinyEmitter<String> results;
    private final String producer;

    public ToolResultPublisher(@Channel("tool-results") MutinyEmitter<String> results,
                               @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.results = results;
        this.producer = producer;
    }

    /** Blocks until the broker acknowledged the record, so the call is committed only after its result is out. */
    public void publish(String tenantId, String sessionId, AnsweredCall answered) {
        var envelope = new Envelope(answered.eventId(), EventTypes.TOOL_RESULT,
                Envelope.SCHEMA_VERSION, tenantId, sessionId, answered.seq(), Instant.now(), producer,
                EventJson.tree(answered.result()));
        results.sendMessageAndAwait(Message.of(EventJson.encode(envelope))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(sessionId).build()));
    }
}
