package io.voicecoach.transcription.audio;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineStubsResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second member joins the service's consumer group mid-utterance and takes some voice.audio partitions: their open
 * utterances are abandoned unacknowledged and their sessions' state dropped. When it leaves, the service gets them
 * back and decodes those utterances again from the uncommitted offsets, with the settings of their first chunks.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class AudioPartitionsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String UTTERANCE = "item_move";
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    /** session -> chunks sent so far */
    private final Map<String, Integer> chunks = new ConcurrentHashMap<>();

    @Inject
    AudioPartitions partitions;
    @Inject
    Utterances utterances;
    @Inject
    SessionStates sessions;

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void partitionsThatMoveAwayAbandonTheirUtterancesAndComeBackDecodedWholeWithTheirSettings() throws Exception {
        int count = partitionCount();
        var sessionOf = new TreeMap<Integer, String>();
        while (sessionOf.size() < count) {
            String session = "sess_" + UUID.randomUUID();
            sessionOf.putIfAbsent(partitionOf(session, count), session);
        }
        var all = sessionOf.keySet();
        await().atMost(WAIT).until(() -> partitions.owned().equals(all));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            sessionOf.forEach((p, session) -> {
                Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, UTTERANCE, 0, new byte[Chunks.CHUNK_BYTES * 2],
                        false, Chunks.settings(null, null, List.of("Moved " + p)));
                chunks.put(session, 2);
            });
            await().atMost(WAIT).until(() -> sessionOf.values().stream()
                    .allMatch(s -> utterances.openUtterance(s, Track.CUSTOMER).filter(UTTERANCE::equals).isPresent()));

            // keeps every utterance alive (below the idle timeout) while partitions move; a moved one's chunks wait
            var keepAlive = Executors.newSingleThreadScheduledExecutor();
            keepAlive.scheduleAtFixedRate(() -> sessionOf.values().forEach(this::sendChunk), 1, 1, TimeUnit.SECONDS);
            try (var member = new GroupMember()) {
                await().atMost(WAIT).until(() -> !member.assigned.isEmpty()
                        && partitions.owned().equals(difference(all, member.assigned)));
                var moved = Set.copyOf(member.assigned);
                System.out.printf("partition move: voice.audio partitions %s went to another member%n", moved);
                assertThat(moved).isNotEmpty().isNotEqualTo(all);
                sessionOf.forEach((p, session) -> {
                    if (moved.contains(p)) {
                        assertThat(utterances.openUtterance(session, Track.CUSTOMER)).as("open utterance of moved %s", p).isEmpty();
                        assertThat(sessions.contains(session)).as("state of a session of moved %s", p).isFalse();
                    } else {
                        assertThat(utterances.openUtterance(session, Track.CUSTOMER)).as("open utterance of kept %s", p).hasValue(UTTERANCE);
                        assertThat(sessions.contains(session)).as("state of a session of kept %s", p).isTrue();
                    }
                });
            }
            await().atMost(WAIT).until(() -> partitions.owned().equals(all) && sessionOf.values().stream()
                    .allMatch(s -> utterances.openUtterance(s, Track.CUSTOMER).filter(UTTERANCE::equals).isPresent()));
            keepAlive.shutdown();
            assertThat(keepAlive.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            sessionOf.values().forEach(session -> Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, UTTERANCE,
                    160L * chunks.merge(session, 1, Integer::sum) - 160, new byte[Chunks.CHUNK_BYTES], true));
            var finals = transcripts.await(r -> r.envelope() != null && r.envelope().type().equals(EventTypes.TRANSCRIPT_FINAL)
                    && sessionOf.containsValue(r.envelope().sessionId()), count, WAIT).stream()
                    .collect(Collectors.toMap(r -> r.envelope().sessionId(), r -> r.envelope().payloadAs(Transcript.class)));
            sessionOf.forEach((p, session) -> assertThat(finals.get(session).text()).as("final of the session on partition %s", p)
                    .isEqualTo("heard " + chunks.get(session) + " chunks done [Acme Cloud, Moved " + p + "]"));
        }
    }

    private void sendChunk(String session) {
        int index = chunks.merge(session, 1, Integer::sum) - 1;
        Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, UTTERANCE, 160L * index, new byte[Chunks.CHUNK_BYTES], false);
    }

    private static Set<Integer> difference(Set<Integer> all, Collection<Integer> minus) {
        return all.stream().filter(p -> !minus.contains(p)).collect(Collectors.toSet());
    }

    private static int partitionOf(String session, int count) {
        return Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8))) % count;
    }

    private static int partitionCount() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafka().bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(Topics.AUDIO, Duration.ofSeconds(10)).size();
        }
    }

    /** Another member of transcription-service's group that takes partitions and neither decodes nor commits. */
    private static final class GroupMember implements AutoCloseable {
        final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
        private final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "transcription-service",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        private final Thread poller = Thread.ofPlatform().daemon().name("group-member").start(this::poll);

        private void poll() {
            consumer.subscribe(List.of(Topics.AUDIO), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assigned.add(tp.partition()));
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assigned.remove(tp.partition()));
                }
            });
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(Duration.ofMillis(200));
                }
            } catch (WakeupException closing) {
                // close() below
            } finally {
                consumer.close(); // leaves the group without committing
            }
        }

        @Override
        public void close() throws InterruptedException {
            consumer.wakeup();
            poller.join(30_000);
        }
    }
}
