package io.voicecoach.gateway.failover;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.voicecoach.gateway.session.FeedTopic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when the live fan-out consumers hold every partition of their topic with a fixed position. A resume's replay
 * reads up to the end offsets it takes once that is so; a fan-out consumer that only got its partitions later would
 * start at the then end and leave a gap. Named {@value #NAME} in the fan-out channels' configuration.
 * <p>
 * It also remembers how far the fan-out got in each partition. The groups commit nothing, so a partition that comes
 * back after a rebalance (a broker restart, a coordinator moving) would start at the then end, and the records
 * produced meanwhile, or fetched and dropped from the connector's queue at the revoke, would never reach their
 * clients; it goes on after the last record handed over instead, or where its first assignment started when none
 * was handed over yet (a partition whose first record is written during the rebalance). A record seen twice is
 * dropped by the session's stream (its offset is not past the cursor).
 */
@ApplicationScoped
@Default
@Identifier(FanoutAssignments.NAME)
public class FanoutAssignments implements KafkaConsumerRebalanceListener {

    public static final String NAME = "gateway-fanout";

    private final Map<String, Set<TopicPartition>> assigned = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> resumeAt = new ConcurrentHashMap<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> newlyAssigned) {
        for (var partition : newlyAssigned) {
            var next = resumeAt.get(partition);
            if (next != null) {
                consumer.seek(partition, next);
            }
            // resolves auto.offset.reset now: records from here on are fanned out, also after a later rebalance
            resumeAt.merge(partition, consumer.position(partition), Math::max);
            assigned.computeIfAbsent(partition.topic(), topic -> ConcurrentHashMap.newKeySet()).add(partition);
            partitions.computeIfAbsent(partition.topic(), topic -> consumer.partitionsFor(topic).size());
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        revoked.forEach(partition -> assigned.getOrDefault(partition.topic(), Set.of()).remove(partition));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        onPartitionsRevoked(consumer, lost);
    }

    /** The fan-out has handed over the record at {@code offset}: after a rebalance the partition goes on after it. */
    public void handled(String topic, int partition, long offset) {
        resumeAt.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
    }

    /** True when each feed topic's consumer holds all of that topic's partitions. */
    public boolean complete() {
        for (var feed : FeedTopic.values()) {
            var held = assigned.get(feed.topic());
            Integer count = partitions.get(feed.topic());
            if (held == null || count == null || held.size() < count) {
                return false;
            }
        }
        return true;
    }
}
