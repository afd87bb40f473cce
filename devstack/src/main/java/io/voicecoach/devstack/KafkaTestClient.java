package io.voicecoach.devstack;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * Test-side producer and reader for the real broker: publish envelopes, raw values or audio, and wait (bounded,
 * with awaitility) for records on a topic. Readers start at the end of each topic, so create the reader before
 * causing the events you want to see.
 */
public final class KafkaTestClient implements AutoCloseable {

    /** A record as read back: key, raw value, decoded envelope (null if the value is not one), headers. */
    public record Received(String topic, String key, byte[] value, Envelope envelope, Map<String, String> headers) {
        public String valueAsString() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    public static KafkaTestClient forSharedBroker() {
        return new KafkaTestClient(SharedInfrastructure.kafka().bootstrapServers());
    }

    public void send(String topic, Envelope envelope) {
        send(topic, envelope.sessionId(), EventJson.encode(envelope).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public void sendRaw(String topic, String key, String value) {
        send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public void send(String topic, String key, byte[] value, Map<String, String> headers) {
        var record = new ProducerRecord<String, byte[]>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Starts reading {@code topic} from its current end, in the background. */
    public TopicReader read(String topic) {
        return new TopicReader(topic, false);
    }

    /** Like {@link #read}, but only records of committed transactions (what a read_committed consumer gets). */
    public TopicReader readCommitted(String topic) {
        return new TopicReader(topic, true);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    public final class TopicReader implements AutoCloseable {
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean positioned;

        private TopicReader(String topic, boolean committed) {
            thread = Thread.ofPlatform().daemon().name("test-reader-" + topic).start(() -> poll(topic, committed));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> positioned);
        }

        private void poll(String topic, boolean committed) {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                positioned = true;
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        var headers = new java.util.HashMap<String, String>();
                        for (Header h : record.headers()) {
                            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                        }
                        Envelope envelope = null;
                        try {
                            envelope = EventJson.decode(record.value());
                        } catch (RuntimeException notAnEnvelope) {
                            // audio and poison records are kept raw
                        }
                        received.add(new Received(topic, record.key(), record.value(), envelope, headers));
                    }
                }
            }
        }

        public List<Received> all() {
            return new ArrayList<>(received);
        }

        /** Waits up to {@code timeout} until {@code count} records match, and returns the matches. */
        public List<Received> await(Predicate<Received> match, int count, Duration timeout) {
            Awaitility.await().atMost(timeout).until(() -> received.stream().filter(match).count() >= count);
            return received.stream().filter(match).toList();
        }

        public Received awaitOne(Predicate<Received> match, Duration timeout) {
            return await(match, 1, timeout).getFirst();
        }

        /** Envelopes of the given type for the given session. */
        public List<Envelope> envelopes(String sessionId, String type) {
            return received.stream().map(Received::envelope)
                    .filter(e -> e != null && e.sessionId().equals(sessionId) && e.type().equals(type)).toList();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
