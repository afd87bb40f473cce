package io.voicecoach.devstack;

import io.voicecoach.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the pipeline's topics on any broker: the embedded one, or an external Kafka the launcher was pointed at. */
public final class KafkaTopics {

    /** Partitions of every pipeline topic in the local run and the tests (they must all be equal, see {@link Topics#PIPELINE}). */
    public static final int LOCAL_PARTITIONS = 4;

    /**
     * Every pipeline topic and call-keyed topic ({@link Topics#BY_CALL}) with {@code partitions} partitions, their
     * dead-letter twins and the compacted state topics.
     */
    public static void createPipeline(String bootstrapServers, int partitions) {
        var all = new ArrayList<String>(Topics.PIPELINE);
        all.addAll(Topics.BY_CALL);
        all.add(Topics.GATEWAY_INSTANCES);
        create(bootstrapServers, all, partitions);
    }

    /**
     * Creates each topic with {@code partitions} partitions (compacted for {@link Topics#COMPACTED}, which get no
     * dead-letter twin; {@link Topics#GATEWAY_INSTANCES} has one partition) and, for the others, a {@code .dlq} twin
     * with one. Topics that exist are left as they are. The replication factor is the broker's default.
     */
    public static void create(String bootstrapServers, List<String> topics, int partitions) {
        var all = new ArrayList<NewTopic>();
        for (String topic : topics) {
            if (Topics.COMPACTED.contains(topic)) {
                int count = Topics.GATEWAY_INSTANCES.equals(topic) ? 1 : partitions;
                all.add(new NewTopic(topic, Optional.of(count), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact", "segment.ms", "60000",
                                "min.cleanable.dirty.ratio", "0.1")));
            } else {
                all.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                all.add(new NewTopic(Topics.deadLetter(topic), Optional.of(1), Optional.empty()));
            }
        }
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            for (var entry : admin.createTopics(all).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create the topics in 30 s", e);
        }
    }

    private KafkaTopics() {
    }
}
