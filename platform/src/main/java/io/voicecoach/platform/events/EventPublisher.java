package io.voicecoach.platform.events;

import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.Payload;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes typed events on one topic's SmallRye channel: builds the envelope (type from the payload, this service
 * as producer, the caller's event id and {@code seq}), keys the record by session id and adds the caller's headers.
 * The channel's value serializer is {@code io.voicecoach.events.kafka.EventSerde$EventSerializer}. A payload of
 * another topic is refused. Sends are issued in call order, so one session's events keep their order. The record's
 * trace parent is the caller's current OpenTelemetry context (taken at the call, not when the connector gets to the
 * record), so its {@code traceparent} header continues the caller's trace.
 *
 * @param <F> the topic's payload family, e.g. {@link io.voicecoach.events.CoachingEvent}
 */
public final class EventPublisher<F extends Payload> {

    private final String topic;
    private final Emitter<Event<?>> emitter;
    private final String producer;

    /**
     * @param topic    the channel's topic, one of {@link io.voicecoach.events.Topics}
     * @param emitter  {@code @Channel("<channel>") Emitter<Event<?>>}
     * @param producer this service's {@code quarkus.application.name}
     */
    public EventPublisher(String topic, Emitter<Event<?>> emitter, String producer) {
        this.topic = topic;
        this.emitter = emitter;
        this.producer = producer;
    }

    /** Completes with the event once the broker acknowledged it. */
    public <P extends F> CompletionStage<Event<P>> publish(String tenantId, String sessionId, long seq, UUID eventId,
                                                           P payload) {
        return publish(tenantId, sessionId, seq, eventId, payload, Map.of());
    }

    public <P extends F> CompletionStage<Event<P>> publish(String tenantId, String sessionId, long seq, UUID eventId,
                                                           P payload, Map<String, String> headers) {
        var event = Event.of(eventId, tenantId, sessionId, seq, Instant.now(), producer, payload);
        return send(event, headers).thenApply(sent -> event);
    }

    /** An event built elsewhere; its topic must be this publisher's. Completes once the broker acknowledged it. */
    public CompletionStage<Void> send(Event<? extends F> event, Map<String, String> headers) {
        String eventTopic = EventRegistry.typeOf(event.payload()).topic();
        if (!topic.equals(eventTopic)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(event.type() + " belongs on " + eventTopic
                    + ", not " + topic));
        }
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.sessionId());
        if (!headers.isEmpty()) {
            var recordHeaders = new RecordHeaders();
            headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
            kafka.withHeaders(recordHeaders);
        }
        var sent = new CompletableFuture<Void>();
        try {
            var metadata = Metadata.of(kafka.build(), TracingMetadata.withCurrent(Context.current()));
            emitter.send(Message.<Event<?>>of(event, metadata,
                    () -> {
                        sent.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    failure -> {
                        sent.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException overflowOrClosed) {
            sent.completeExceptionally(overflowOrClosed);
        }
        return sent;
    }
}
