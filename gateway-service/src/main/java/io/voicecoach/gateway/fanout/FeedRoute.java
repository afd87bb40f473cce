package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.voicecoach.events.Event;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.UnknownEventTypeException;
import io.voicecoach.events.kafka.Decoded;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.RecordPosition;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * How the records of one feed topic reach the client sessions held here, as replayable frames. The live fan-out
 * ({@link #fanOut}) and the resume replay ({@link SessionReplay}) route every record the same way.
 */
public interface FeedRoute {

    /** One session a record is for, and what it brings it. */
    record Routed(RealtimeSession target, Delivery delivery) {
    }

    FeedTopic feed();

    /**
     * The sessions here the event is for (tenant checks included) and what it brings each; empty for events of
     * other sessions or types this gateway does not forward.
     *
     * @throws InvalidEventException when the event lacks what its frames need
     */
    List<Routed> route(Event<?> event);

    /**
     * The live path: offers the record to its sessions, never waiting for a client, each frame's write a span of the
     * record's trace, and tells {@code progress} it was handed over. An undecodable record is logged and skipped (the
     * application-group consumers park it in the DLQ once); one of a type this version does not know is skipped
     * quietly, as a type it does not forward is.
     */
    static Uni<Void> fanOut(FeedRoute route, Message<byte[]> record, FanoutAssignments progress,
                            RealtimeTraces traces, Logger log) {
        var position = position(route.feed(), record);
        try {
            switch (Decoded.of(record.getPayload())) {
                case Decoded.Valid valid -> route.route(valid.event()).forEach(r -> r.target().client().offer(
                        position, traces.delivering(record, valid.event().type(), r.target().id(), r.delivery())));
                case Decoded.Invalid invalid when invalid.reason() instanceof UnknownEventTypeException unknown ->
                        log.debugf("skipping %s record of unknown type %s", route.feed().topic(), unknown.type());
                case Decoded.Invalid invalid -> throw invalid.reason();
            }
        } catch (InvalidEventException e) {
            log.warnf("skipping undecodable %s record: %s", route.feed().topic(), e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        } finally {
            progress.handled(route.feed().topic(), position.partition(), position.offset());
        }
        return Uni.createFrom().completionStage(record::ack);
    }

    /**
     * The session held here that an event of one session is for; empty when none is, or (logged) when the event is
     * another tenant's.
     */
    static Optional<RealtimeSession> ownSession(SessionRegistry registry, Event<?> event, String what, Logger log) {
        var session = registry.find(event.sessionId()).orElse(null);
        if (session != null && !session.tenantId().equals(event.tenantId())) {
            log.warnf("refusing %s %s of tenant %s for session %s of tenant %s", what, event.eventId(),
                    event.tenantId(), session.id(), session.tenantId());
            return Optional.empty();
        }
        return Optional.ofNullable(session);
    }

    private static RecordPosition position(FeedTopic feed, Message<byte[]> record) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow(() ->
                new IllegalStateException("a fan-out record without Kafka metadata"));
        return new RecordPosition(feed, kafka.getPartition(), kafka.getOffset(), kafka.getTimestamp().toEpochMilli());
    }
}
