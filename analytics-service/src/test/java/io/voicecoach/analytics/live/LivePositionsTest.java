package io.voicecoach.analytics.live;

import io.voicecoach.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The live view's place in a partition across a rebalance of its per-instance group, which commits nothing. */
class LivePositionsTest {

    private static final TopicPartition APPLIED = new TopicPartition(Topics.TRANSCRIPTS, 0);
    private static final TopicPartition UNTOUCHED = new TopicPartition(Topics.TRANSCRIPTS, 1);

    private final LivePositions positions = new LivePositions();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("latest");

    @Test
    void aPartitionThatComesBackGoesOnAfterTheLastBatchAppliedNotAtTheThenEnd() {
        consumer.updateEndOffsets(Map.of(APPLIED, 4L, UNTOUCHED, 2L));
        consumer.subscribe(List.of(Topics.TRANSCRIPTS), listener());
        consumer.rebalance(List.of(APPLIED, UNTOUCHED));
        positions.applied(new ConsumerRecords<>(Map.of(APPLIED, List.of(record(4), record(5))), Map.of()));

        // a broker restart: everything revoked, records 6..9 and the untouched partition's 2..4 written meanwhile
        consumer.rebalance(List.of());
        consumer.updateEndOffsets(Map.of(APPLIED, 10L, UNTOUCHED, 5L));
        consumer.rebalance(List.of(APPLIED, UNTOUCHED));

        assertThat(consumer.position(APPLIED)).isEqualTo(6);
        assertThat(consumer.position(UNTOUCHED)).as("nothing applied yet: where the first assignment started")
                .isEqualTo(2);
    }

    private static ConsumerRecord<String, String> record(long offset) {
        return new ConsumerRecord<>(APPLIED.topic(), APPLIED.partition(), offset, "sess_1", "{}");
    }

    private ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                positions.onPartitionsRevoked(consumer, partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                positions.onPartitionsAssigned(consumer, partitions);
            }
        };
    }
}
