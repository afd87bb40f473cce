package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.RecordPosition;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;

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
     * The sessions here the record is for (tenant checks included) and what it brings each; empty for records of
     * other sessions or types this gateway does not forward.
     *
     * @throws InvalidEventException when the record is not a well-formed event of its type
     */
    List<Routed> route(Envelope envelope);

    /**
     * The live path: offers the record to its sessions, never waiting for a client, each frame's write a span of the
     * record's trace. An undecodable record is logged and skipped (the application-group consumers park it in the DLQ
     * once).
     */
    static Uni<Void> fanOut(FeedRoute route, Message<String> record, Logger log, RealtimeTraces traces) {
        try {
            var envelope = EventJson.decode(record.getPayload());
            var routed = route.route(envelope);
            if (!routed.isEmpty()) {
                var position = position(route.feed(), record);
                routed.forEach(r -> r.target().client().offer(position,
                        traces.delivering(record, envelope.type(), r.target().id(), r.delivery())));
            }
        } catch (InvalidEventException e) {
            log.warnf("skipping undecodable %s record: %s", route.feed().topic(), e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        return Uni.createFrom().completionStage(record::ack);
    }

    private static RecordPosition position(FeedTopic feed, Message<String> record) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow(() ->
                new IllegalStateException("a fan-out record without Kafka metadata"));
        return new RecordPosition(feed, kafka.getPartition(), kafka.getOffset(), kafka.getTimestamp().toEpochMilli());
    }
}
