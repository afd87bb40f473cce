package io.voicecoach.coaching.session;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the session topology is {@code RUNNING}: not while it starts, rebalances or restores state, so a
 * new instance takes traffic (and a rolling update moves on) once it owns and has rebuilt its sessions.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {

    public static final String NAME = "kafka-streams-running";

    private final KafkaStreams streams;

    public StreamsReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        var state = streams.state();
        return HealthCheckResponse.named(NAME).status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name()).build();
    }
}
