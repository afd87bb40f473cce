package io.voicecoach.gateway.failover;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.GatewayConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Kafka clients of the gateway's own state: one producer for {@code gateway.sessions} and {@code gateway.instances}
 * (written in the order {@link #write} was called, from one thread), and plain consumers for the state store and the
 * resume replay. All use the application's {@code kafka.*} settings.
 */
@ApplicationScoped
public class StateTopics {

    private static final Logger LOG = Logger.getLogger(StateTopics.class);

    private final Map<String, Object> kafka;
    private final String instanceId;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("gateway-state-writer").factory());
    private volatile KafkaProducer<String, String> producer;

    public StateTopics(@Identifier("default-kafka-broker") Map<String, Object> kafka, GatewayConfig config) {
        this.kafka = Map.copyOf(kafka);
        this.instanceId = config.instanceId();
    }

    /** Queues a record (null value: a tombstone) for a state topic; records are sent in the order queued. */
    public void write(String topic, String key, String value) {
        writer.execute(() -> producer().send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
            if (failure != null) {
                LOG.warnf("%s record for %s not written: %s", topic, key, failure.getMessage());
            }
        }));
    }

    public void writeSession(String sessionId, String snapshot) {
        write(Topics.GATEWAY_SESSIONS, sessionId, snapshot);
    }

    /** Like {@link #write}; completes once Kafka acknowledged the record (or failed it). */
    public CompletableFuture<Void> writeAcknowledged(String topic, String key, String value) {
        var acknowledged = new CompletableFuture<Void>();
        writer.execute(() -> producer().send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
            if (failure != null) {
                LOG.warnf("%s record for %s not written: %s", topic, key, failure.getMessage());
                acknowledged.completeExceptionally(failure);
            } else {
                acknowledged.complete(null);
            }
        }));
        return acknowledged;
    }

    /** Waits (bounded) until everything queued so far was acknowledged or failed. */
    public void flush(Duration timeout) {
        try {
            writer.submit(() -> producer().flush()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("state records not flushed within %s: %s", timeout, e.getMessage());
        }
    }

    /** A consumer without a group (assign only, no commits), strings in and out. */
    public KafkaConsumer<String, String> consumer(String purpose) {
        var config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + purpose + "-" + instanceId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            var config = new HashMap<>(kafka);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-state-" + instanceId);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @PreDestroy
    void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
