package io.voicecoach.gateway.failover;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * The liveness record of a gateway instance on {@code gateway.instances} (compacted, key = instance id), written every
 * {@code voicecoach.gateway.heartbeat-interval}; a tombstone when the instance stopped.
 */
@RegisterForReflection
public record InstanceBeat(String instanceId, Instant startedAt, Instant at) {
}
