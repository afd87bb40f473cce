package io.voicecoach.coaching.replay;

import io.smallrye.common.annotation.Identifier;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What Kafka still holds of a tenant's sessions: a consumer without a group (assign only, nothing committed,
 * {@code read_committed} so aborted stream-task output is not counted) reads a topic from a time to the end offsets
 * it found when it started. A session's records are in one partition (every pipeline topic is keyed by session id
 * with the default partitioner), so one session costs one partition's records from its time on.
 */
@ApplicationScoped
public class SessionLog {

    /** A topic's events of one tenant, by session in offset order; {@code complete} false when the read timed out. */
    public record Read(Map<String, List<Event<?>>> bySession, boolean complete) {
    }

    private final Map<String, Object> kafka;

    public SessionLog(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    /**
     * The tenant's events on {@code topic} published in [{@code from}, {@code to}); only {@code sessionId}'s when it is
     * not null. Records of other tenants, and records that are not events, are passed over.
     */
    public Read read(String topic, String tenantId, String sessionId, Instant from, Instant to, Duration timeout) {
        var bySession = new LinkedHashMap<String, List<Event<?>>>();
        try (var consumer = consumer()) {
            var partitions = partitions(consumer, topic, sessionId);
            consumer.assign(partitions);
            var ends = consumer.endOffsets(partitions);
            var query = new HashMap<TopicPartition, Long>();
            partitions.forEach(p -> query.put(p, from.toEpochMilli()));
            var starts = consumer.offsetsForTimes(query);
            var remaining = new HashMap<TopicPartition, Long>();
            for (var partition : partitions) {
                var start = starts.get(partition);
                long end = ends.get(partition);
                if (start != null && start.offset() < end) {
                    consumer.seek(partition, start.offset());
                    remaining.put(partition, end);
                }
            }
            consumer.pause(partitions.stream().filter(p -> !remaining.containsKey(p)).toList());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var partition = new TopicPartition(record.topic(), record.partition());
                    Long end = remaining.get(partition);
                    if (end == null || record.offset() >= end || record.timestamp() >= to.toEpochMilli()
                            || record.key() == null || (sessionId != null && !sessionId.equals(record.key()))) {
                        continue;
                    }
                    decoded(record.value()).filter(e -> tenantId.equals(e.tenantId()))
                            .ifPresent(e -> bySession.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(e));
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            return new Read(bySession, remaining.isEmpty());
        }
    }

    private static java.util.Optional<Event<?>> decoded(byte[] value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(EventCodec.decode(value));
        } catch (RuntimeException notAnEvent) {
            return java.util.Optional.empty();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic,
                                                   String sessionId) {
        int count = consumer.partitionsFor(topic).size();
        if (sessionId != null) {
            int partition = Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8))) % count;
            return List.of(new TopicPartition(topic, partition));
        }
        var all = new ArrayList<TopicPartition>(count);
        for (int p = 0; p < count; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        var config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "coaching-replay-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
