package io.voicecoach.transcription.audio;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.voicecoach.events.Topics;
import io.voicecoach.transcription.session.SessionStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code voice.audio} partitions this instance owns (the audio channel's rebalance listener). When a partition is
 * revoked or lost, its open utterances are abandoned without acknowledging their records and its sessions' state is
 * dropped; the new owner decodes those utterances again from the uncommitted offsets, with the settings of their first
 * chunks. Chunks are handled under the same lock, so none of a revoked partition starts an utterance after the revoke.
 */
@ApplicationScoped
@Default
@Identifier(AudioPartitions.LISTENER)
public class AudioPartitions implements KafkaConsumerRebalanceListener {

    /** {@code mp.messaging.incoming.audio.consumer-rebalance-listener.name} */
    public static final String LISTENER = "audio-partitions";

    private static final Logger LOG = Logger.getLogger(AudioPartitions.class);

    private final Map<Integer, PartitionLease> leases = new HashMap<>();
    private final Utterances utterances;
    private final SessionStates sessions;

    public AudioPartitions(Utterances utterances, SessionStates sessions) {
        this.utterances = utterances;
        this.sessions = sessions;
    }

    /** Runs on the Kafka polling thread, before any record of the new partitions is fetched. */
    @Override
    public synchronized void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        var gained = audioPartitions(partitions);
        gained.forEach(p -> leases.computeIfAbsent(p, PartitionLease::new));
        if (!gained.isEmpty()) {
            LOG.infof("voice.audio partitions %s assigned; this instance owns %s", gained, new TreeSet<>(leases.keySet()));
        }
    }

    /** Runs on the Kafka polling thread; also for partitions lost without a revoke (the member was fenced). */
    @Override
    public synchronized void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        var lost = audioPartitions(partitions);
        if (lost.isEmpty()) {
            return;
        }
        lost.forEach(p -> Optional.ofNullable(leases.remove(p)).ifPresent(PartitionLease::revoke));
        int abandoned = utterances.abandonRevoked();
        int dropped = sessions.drop(lost);
        LOG.infof("voice.audio partitions %s revoked: %d open utterances abandoned, state of %d sessions dropped; "
                + "this instance owns %s", lost, abandoned, dropped, new TreeSet<>(leases.keySet()));
    }

    /** Runs {@code action} with the partition's lease if this instance owns the partition, else returns empty. */
    public synchronized <T> Optional<T> withLease(int partition, Function<PartitionLease, T> action) {
        var lease = leases.get(partition);
        return lease == null ? Optional.empty() : Optional.of(action.apply(lease));
    }

    public synchronized Set<Integer> owned() {
        return Set.copyOf(leases.keySet());
    }

    private static Set<Integer> audioPartitions(Collection<TopicPartition> partitions) {
        var numbers = new TreeSet<Integer>();
        partitions.stream().filter(tp -> Topics.AUDIO.equals(tp.topic())).forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }
}
