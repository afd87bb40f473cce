package io.voicecoach.analytics.ingest;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Parks a record this service cannot apply in {@code <topic>.dlq}, as received, with the reason in the same
 * {@code dead-letter-*} headers SmallRye's dead-letter strategy writes. Waits for the broker's ack, so a record is
 * never committed as consumed before it is safely parked.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public void park(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
        LOG.warnf("parking %s-%d@%d in %s: %s", record.topic(), record.partition(), record.offset(),
                Topics.deadLetter(record.topic()), reason);
        var headers = new RecordHeaders();
        header(headers, "dead-letter-reason", reason);
        header(headers, "dead-letter-topic", record.topic());
        header(headers, "dead-letter-partition", Integer.toString(record.partition()));
        header(headers, "dead-letter-offset", Long.toString(record.offset()));
        if (cause != null) {
            header(headers, "dead-letter-exception-class-name", cause.getClass().getName());
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.deadLetter(record.topic()))
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
