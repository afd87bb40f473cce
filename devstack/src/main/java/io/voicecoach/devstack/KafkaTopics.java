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

/** Creates the pipeline's topics on any broker, e.g. an external Kafka the launcher was pointed at. */
public final class KafkaTopics {

    /**
     * Creates each topic with {@code partitions} partitions and its {@code .dlq} twin with one; topics that exist
     * are left as they are. The replication factor is the broker's default.
     */
    public static void create(String bootstrapServers, List<String> topics, int partitions) {
        var all = new ArrayList<NewTopic>();
        for (String topic : topics) {
            all.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            all.add(new NewTopic(Topics.deadLetter(topic), Optional.of(1), Optional.empty()));
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
