package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.nudge.Nudge;
import io.voicecoach.events.Citation;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;
import java.util.List;

/** Publishes {@code coaching.suggestion} envelopes on {@code coach.suggestions}, keyed by session. */
@ApplicationScoped
public class Suggestions {

    private final MutinyEmitter<String> emitter;
    private final SessionSequences sequences;
    private final CoachingMetrics metrics;
    private final String producer;

    public Suggestions(@Channel("suggestions") MutinyEmitter<String> emitter, SessionSequences sequences,
                       CoachingMetrics metrics, @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.emitter = emitter;
        this.sequences = sequences;
        this.metrics = metrics;
        this.producer = producer;
    }

    /** The id of the detection suggestion {@code trigger} gives rise to; a redelivered transcript gives the same. */
    public static String suggestionId(Envelope trigger) {
        return DerivedIds.of("suggestion", trigger.eventId()).toString();
    }

    /**
     * A detection's suggestion with the knowledge-base chunks it cites; completes once the broker has it. Its battle
     * card, if any, follows on its own ({@link CardFollowUps}).
     */
    public Uni<Void> publish(Envelope trigger, Transcript transcript, Detection detection, List<Citation> citations) {
        var suggestion = new Suggestion(suggestionId(trigger), transcript.utteranceId(), detection.kind(),
                detection.category(), detection.answer().title(), detection.answer().message(), detection.confidence(),
                detection.source(), priority(detection), null, trigger.occurredAt(), transcript.receivedAt(),
                citations);
        return send(trigger, suggestion, "suggestion-event");
    }

    /** A nudge triggered by {@code transcript}; its ids derive from the transcript event like the others'. */
    public Uni<Void> publishNudge(Envelope trigger, Transcript transcript, Nudge nudge) {
        var suggestion = new Suggestion(DerivedIds.of("nudge", trigger.eventId()).toString(), transcript.utteranceId(),
                Nudge.KIND, nudge.type(), nudge.title(), nudge.message(), 1.0, Detection.RULES, nudge.priority(), null,
                trigger.occurredAt(), transcript.receivedAt());
        return send(trigger, suggestion, "nudge-event");
    }

    /** A nudge whose ids derive from {@code idPurpose} and the transcript event (several per transcript). */
    public Uni<Void> publishNudge(Envelope trigger, Transcript transcript, Nudge nudge, String idPurpose) {
        var suggestion = new Suggestion(DerivedIds.of(idPurpose, trigger.eventId()).toString(), transcript.utteranceId(),
                Nudge.KIND, nudge.type(), nudge.title(), nudge.message(), 1.0, Detection.RULES, nudge.priority(), null,
                trigger.occurredAt(), transcript.receivedAt());
        return send(trigger, suggestion, idPurpose + "-event");
    }

    /** Any suggestion built by the caller; the envelope id derives from {@code idPurpose} and the trigger. */
    public Uni<Void> publish(Envelope trigger, Suggestion suggestion, String idPurpose) {
        return send(trigger, suggestion, idPurpose);
    }

    /** Another event type on {@code coach.suggestions} (e.g. {@code coaching.stage_changed}), keyed by session. */
    public Uni<Void> publishEvent(Envelope trigger, String type, Object payload, String idPurpose) {
        return emitter.sendMessage(KafkaRecord.of(trigger.sessionId(),
                EventJson.encode(envelope(trigger, type, payload, idPurpose))));
    }

    private Uni<Void> send(Envelope trigger, Suggestion suggestion, String idPurpose) {
        var envelope = envelope(trigger, EventTypes.SUGGESTION, suggestion, idPurpose);
        return emitter.sendMessage(KafkaRecord.of(trigger.sessionId(), EventJson.encode(envelope)))
                .invoke(() -> metrics.suggested(suggestion, envelope.occurredAt()));
    }

    private Envelope envelope(Envelope trigger, String type, Object payload, String idPurpose) {
        return new Envelope(DerivedIds.of(idPurpose, trigger.eventId()), type, Envelope.SCHEMA_VERSION,
                trigger.tenantId(), trigger.sessionId(), sequences.next(trigger.tenantId(), trigger.sessionId()),
                Instant.now(), producer, EventJson.tree(payload));
    }

    private static int priority(Detection detection) {
        return detection.isObjection() ? 1 : 2;
    }
}
