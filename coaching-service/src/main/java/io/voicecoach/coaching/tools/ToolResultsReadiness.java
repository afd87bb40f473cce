package io.voicecoach.coaching.tools;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Collection;

/**
 * The {@code tool.results} consumer starts at the end of the topic in a group of its own; until it has partitions
 * and positions, a result could slip past it. Ready once it has them.
 */
@Readiness
@ApplicationScoped
@Identifier(ToolResultsReadiness.NAME)
public class ToolResultsReadiness implements KafkaConsumerRebalanceListener, HealthCheck {

    public static final String NAME = "tool-results-readiness";

    private volatile boolean positioned;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position); // resolves "latest" now, not at the first fetch
        positioned = positioned || !partitions.isEmpty();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tool-results-positioned").status(positioned).build();
    }
}
