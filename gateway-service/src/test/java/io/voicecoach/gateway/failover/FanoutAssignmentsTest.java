package io.voicecoach.gateway.failover;

import io.voicecoach.events.Topics;
import io.voicecoach.gateway.session.FeedTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out's position across a rebalance of its per-instance group, which commits nothing. */
class FanoutAssignmentsTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.SUGGESTIONS, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.SUGGESTIONS, 1);

    private final FanoutAssignments assignments = new FanoutAssignments();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("latest");

    @Test
    void aFirstAssignmentStartsAtTheEnd() {
        subscribeWithEnds(Map.of(P0, 40L, P1, 7L));
        rebalanceTo(List.of(P0, P1));

        assertThat(consumer.position(P0)).isEqualTo(40);
        assertThat(consumer.position(P1)).isEqualTo(7);
    }

    @Test
    void aPartitionThatComesBackGoesOnAfterTheLastRecordHandedOverNotAtTheThenEnd() {
        subscribeWithEnds(Map.of(P0, 10L, P1, 3L));
        rebalanceTo(List.of(P0, P1));
        assignments.handled(Topics.SUGGESTIONS, 0, 11);
        assignments.handled(Topics.SUGGESTIONS, 0, 10); // a record read again does not move the position back

        // the broker restarts; records 12..19 and P1's 3..5 are written while the group rebalances
        consumer.updateEndOffsets(Map.of(P0, 20L, P1, 6L));
        rebalanceTo(List.of(P0, P1));

        assertThat(consumer.position(P0)).as("after offset 11, the last one handed over").isEqualTo(12);
        assertThat(consumer.position(P1)).as("nothing handed over yet: where the first assignment started")
                .isEqualTo(3);
    }

    @Test
    void completeOnlyWhileEveryPartitionOfEveryFeedIsHeld() {
        var topics = Arrays.stream(FeedTopic.values()).map(FeedTopic::topic).toList();
        topics.forEach(topic -> consumer.updatePartitions(topic, partitionsOf(topic, 2)));
        var all = topics.stream().flatMap(t -> IntStream.range(0, 2).mapToObj(p -> new TopicPartition(t, p))).toList();
        consumer.updateEndOffsets(all.stream().collect(Collectors.toMap(tp -> tp, tp -> 0L)));
        consumer.subscribe(topics, listener());

        rebalanceTo(all);
        assertThat(assignments.complete()).isTrue();

        rebalanceTo(all.subList(1, all.size()));
        assertThat(assignments.complete()).isFalse();
    }

    private void subscribeWithEnds(Map<TopicPartition, Long> ends) {
        consumer.updatePartitions(Topics.SUGGESTIONS, partitionsOf(Topics.SUGGESTIONS, 2));
        consumer.updateEndOffsets(ends);
        consumer.subscribe(List.of(Topics.SUGGESTIONS), listener());
    }

    /** A rebalance as the classic (eager) protocol runs it: everything revoked, then the new assignment. */
    private void rebalanceTo(List<TopicPartition> partitions) {
        consumer.rebalance(List.of());
        consumer.rebalance(partitions);
    }

    private ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assignments.onPartitionsRevoked(consumer, partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignments.onPartitionsAssigned(consumer, partitions);
            }
        };
    }

    private static List<PartitionInfo> partitionsOf(String topic, int count) {
        var node = new Node(0, "localhost", 9092);
        return IntStream.range(0, count).mapToObj(p -> new PartitionInfo(topic, p, node, new Node[]{node},
                new Node[]{node})).toList();
    }
}
