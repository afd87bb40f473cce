package io.voicecoach.analytics.live;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the live view got in each partition (the live channels' rebalance listener, {@value #NAME}). Its groups
 * commit nothing, so a partition that comes back after a rebalance (a broker restart) would start at the then end and
 * the events written meanwhile would never reach the viewers; it goes on after the last batch applied instead, or
 * where its first assignment started when nothing was applied yet.
 */
@ApplicationScoped
@Default
@Identifier(LivePositions.NAME)
public class LivePositions implements KafkaConsumerRebalanceListener {

    public static final String NAME = "analytics-live";

    private final Map<TopicPartition, Long> resumeAt = new ConcurrentHashMap<>();

    /** The batch was applied: after a rebalance its partitions go on after it. */
    void applied(ConsumerRecords<?, ?> records) {
        for (var partition : records.partitions()) {
            var last = records.records(partition).getLast();
            resumeAt.merge(partition, last.offset() + 1, Math::max);
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (var partition : partitions) {
            var next = resumeAt.get(partition);
            if (next != null) {
                consumer.seek(partition, next);
            }
            resumeAt.merge(partition, consumer.position(partition), Math::max);
        }
    }
}
