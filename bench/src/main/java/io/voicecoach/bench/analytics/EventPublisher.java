package io.voicecoach.bench.analytics;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Publishes envelopes keyed by session id with a throughput-oriented producer; fails on the first send error. */
final class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    EventPublisher(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                new StringSerializer(), new StringSerializer());
    }

    void send(String topic, Envelope envelope) {
        if (failure.get() != null) {
            throw new IllegalStateException("publishing failed", failure.get());
        }
        producer.send(new ProducerRecord<>(topic, envelope.sessionId(), EventJson.encode(envelope)), (meta, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        sent++;
    }

    long sent() {
        return sent;
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (failure.get() != null) {
            throw new IllegalStateException("publishing failed", failure.get());
        }
    }
}
