package io.voicecoach.platform.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.Payload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes typed events on one topic's SmallRye channel: builds the envelope (type from the payload, this service
 * as producer, the caller's event id and {@code seq}), keys the record by session id and adds the caller's headers.
 * The channel's value serializer is {@code io.voicecoach.events.kafka.EventSerde$EventSerializer}. A payload of
 * another topic is refused.
 *
 * @param <F> the topic's payload family, e.g. {@link io.voicecoach.events.CoachingEvent}
 */
public final class EventPublisher<F extends Payload> {

    private final String topic;
    private final MutinyEmitter<Event<?>> emitter;
    private final String producer;

    /**
     * @param topic    the channel's topic, one of {@link io.voicecoach.events.Topics}
     * @param emitter  {@code @Channel("<channel>") MutinyEmitter<Event<?>>}
     * @param producer this service's {@code quarkus.application.name}
     */
    public EventPublisher(String topic, MutinyEmitter<Event<?>> emitter, String producer) {
        this.topic = topic;
        this.emitter = emitter;
        this.producer = producer;
    }

    /** Completes with the event once the broker acknowledged it. */
    public <P extends F> Uni<Event<P>> publish(String tenantId, String sessionId, long seq, UUID eventId, P payload) {
        return publish(tenantId, sessionId, seq, eventId, payload, Map.of());
    }

    public <P extends F> Uni<Event<P>> publish(String tenantId, String sessionId, long seq, UUID eventId, P payload,
                                               Map<String, String> headers) {
        return Uni.createFrom().deferred(() -> {
            var event = Event.of(eventId, tenantId, sessionId, seq, Instant.now(), producer, payload);
            return send(event, headers).replaceWith(event);
        });
    }

    /** An event built elsewhere (e.g. with a derived {@code occurredAt}); its topic must be this publisher's. */
    public Uni<Void> send(Event<? extends F> event, Map<String, String> headers) {
        String eventTopic = EventRegistry.typeOf(event.payload()).topic();
        if (!topic.equals(eventTopic)) {
            return Uni.createFrom().failure(new IllegalArgumentException(event.type() + " belongs on " + eventTopic
                    + ", not " + topic));
        }
        OutgoingKafkaRecord<String, Event<?>> record = KafkaRecord.of(event.sessionId(), event);
        for (var header : headers.entrySet()) {
            record = record.withHeader(header.getKey(), header.getValue());
        }
        return emitter.sendMessage(record);
    }
}
