package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.CoachingEvent;
import io.voicecoach.events.Event;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.util.UUID;

/**
 * Publishes what LLM calls produce on {@code coach.suggestions}, keyed by session: improved suggestions,
 * {@code llm.usage} per call, {@code coaching.summary} after a call. Event ids are supplied by the caller (derived
 * from the triggering event, so a redelivered trigger yields the same ids).
 */
@ApplicationScoped
public class LlmEvents {

    private final EventPublisher<CoachingEvent> suggestions;
    private final SessionSequences sequences;
    private final CoachingMetrics metrics;

    public LlmEvents(@Channel("suggestions") Emitter<Event<?>> emitter, SessionSequences sequences,
                     CoachingMetrics metrics, @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.suggestions = new EventPublisher<>(Topics.SUGGESTIONS, emitter, producer);
        this.sequences = sequences;
        this.metrics = metrics;
    }

    public Uni<Void> suggestion(String tenantId, String sessionId, UUID eventId, Suggestion suggestion) {
        return send(tenantId, sessionId, eventId, suggestion)
                .invoke(sent -> metrics.suggested(suggestion, sent.occurredAt())).replaceWithVoid();
    }

    public Uni<Void> usage(String tenantId, String sessionId, UUID eventId, LlmUsage usage) {
        return send(tenantId, sessionId, eventId, usage).replaceWithVoid();
    }

    public Uni<Void> summary(String tenantId, String sessionId, UUID eventId, CallSummary summary) {
        return send(tenantId, sessionId, eventId, summary).replaceWithVoid();
    }

    private <P extends CoachingEvent> Uni<Event<P>> send(String tenantId, String sessionId, UUID eventId, P payload) {
        return Uni.createFrom().completionStage(() ->
                suggestions.publish(tenantId, sessionId, sequences.next(tenantId, sessionId), eventId, payload));
    }
}
