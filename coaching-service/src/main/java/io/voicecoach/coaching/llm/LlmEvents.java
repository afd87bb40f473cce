package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.Suggestion;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;
import java.util.UUID;

/**
 * Publishes what LLM calls produce on {@code coach.suggestions}, keyed by session: improved suggestions,
 * {@code llm.usage} per call, {@code coaching.summary} after a call. Event ids are supplied by the caller (derived
 * from the triggering event, so a redelivered trigger yields the same ids).
 */
@ApplicationScoped
public class LlmEvents {

    private final MutinyEmitter<String> emitter;
    private final SessionSequences sequences;
    private final CoachingMetrics metrics;
    private final String producer;

    public LlmEvents(@Channel("suggestions") MutinyEmitter<String> emitter, SessionSequences sequences,
                     CoachingMetrics metrics, @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.emitter = emitter;
        this.sequences = sequences;
        this.metrics = metrics;
        this.producer = producer;
    }

    public Uni<Void> suggestion(String tenantId, String sessionId, UUID eventId, Suggestion suggestion) {
        return send(tenantId, sessionId, eventId, EventTypes.SUGGESTION, suggestion)
                .invoke(publishedAt -> metrics.suggested(suggestion, publishedAt)).replaceWithVoid();
    }

    public Uni<Void> usage(String tenantId, String sessionId, UUID eventId, LlmUsage usage) {
        return send(tenantId, sessionId, eventId, EventTypes.LLM_USAGE, usage).replaceWithVoid();
    }

    public Uni<Void> summary(String tenantId, String sessionId, UUID eventId, CallSummary summary) {
        return send(tenantId, sessionId, eventId, EventTypes.CALL_SUMMARY, summary).replaceWithVoid();
    }

    private Uni<Instant> send(String tenantId, String sessionId, UUID eventId, String type, Object payload) {
        var envelope = new Envelope(eventId, type, Envelope.SCHEMA_VERSION, tenantId, sessionId,
                sequences.next(tenantId, sessionId), Instant.now(), producer, EventJson.tree(payload));
        return emitter.sendMessage(KafkaRecord.of(sessionId, EventJson.encode(envelope))).replaceWith(envelope.occurredAt());
    }
}
