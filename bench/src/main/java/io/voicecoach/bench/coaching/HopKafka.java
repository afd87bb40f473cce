package io.voicecoach.bench.coaching;

import io.voicecoach.bench.TopicTail;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The benchmark's Kafka side: a producer like the gateway's, a reader of suggestions, and the service's lag. */
final class HopKafka implements AutoCloseable {

    /** coaching-service's consumer group on {@code voice.transcripts} (its application name). */
    private static final String COACHING_GROUP = "coaching-service";

    private final String bootstrap;
    private final KafkaProducer<String, String> producer;
    private final Admin admin;

    HopKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = TopicTail.producer(bootstrap);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Sends the event on its topic, keyed by session. */
    void send(Event<?> event) {
        producer.send(new ProducerRecord<>(event.topic(), event.sessionId(), EventCodec.encodeToString(event)));
    }

    void flush() {
        producer.flush();
    }

    /** A consumer of every {@code coach.suggestions} partition, positioned at the end. */
    KafkaConsumer<String, String> suggestionsConsumer() {
        return TopicTail.of(bootstrap, Topics.SUGGESTIONS);
    }

    /**
     * Waits until coaching-service has committed every transcript (it commits after the suggestion is on Kafka;
     * commits are periodic, so this may see the end a few seconds late) or {@code timeout} passes.
     * Returns the transcripts still not committed.
     */
    long awaitProcessed(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lag = lag();
        while (lag > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            lag = lag();
        }
        return lag;
    }

    private long lag() throws Exception {
        var committed = admin.listConsumerGroupOffsets(COACHING_GROUP).partitionsToOffsetAndMetadata().get();
        var partitions = producer.partitionsFor(Topics.TRANSCRIPTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        var ends = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get();
        long lag = 0;
        for (var partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            lag += ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
        }
        return lag;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
