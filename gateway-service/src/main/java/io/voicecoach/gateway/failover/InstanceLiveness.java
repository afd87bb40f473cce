package io.voicecoach.gateway.failover;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;

/**
 * Publishes this instance's {@link InstanceBeat} on {@code gateway.instances} every heartbeat interval, and a
 * tombstone when it stops, so other instances know within {@code instance-timeout} whose sessions are orphans.
 */
@ApplicationScoped
public class InstanceLiveness {

    private final StateTopics topics;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final Instant startedAt = Instant.now();
    private long timer = -1;

    public InstanceLiveness(StateTopics topics, GatewayConfig config, Vertx vertx) {
        this.topics = topics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        beat();
        timer = vertx.setPeriodic(config.heartbeatInterval().toMillis(), ignored -> beat());
    }

    private void beat() {
        var beat = new InstanceBeat(config.instanceId(), startedAt, Instant.now());
        topics.write(Topics.GATEWAY_INSTANCES, config.instanceId(), StateJson.MAPPER.valueToTree(beat).toString());
    }

    /** Stops beating and removes this instance's record: its remaining sessions are orphans from now on. */
    public void stop() {
        vertx.cancelTimer(timer);
        topics.write(Topics.GATEWAY_INSTANCES, config.instanceId(), null);
    }
}
