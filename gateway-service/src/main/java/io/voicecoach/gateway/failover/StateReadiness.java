package io.voicecoach.gateway.failover;

import io.voicecoach.gateway.ws.GatewayDrain;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this instance has read every open session ({@code gateway.sessions}) and its fan-out consumers hold
 * their partitions, so a resume of any session can be served; not ready while it drains.
 */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {

    private final SessionStore store;
    private final FanoutAssignments fanout;
    private final GatewayDrain drain;

    public StateReadiness(SessionStore store, FanoutAssignments fanout, GatewayDrain drain) {
        this.store = store;
        this.fanout = fanout;
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        boolean storeReady = store.caughtUp();
        boolean fanoutReady = fanout.complete();
        boolean draining = drain.draining();
        return HealthCheckResponse.named("gateway-sessions")
                .status(storeReady && fanoutReady && !draining)
                .withData("session-store", storeReady ? "caught up" : "reading")
                .withData("fan-out", fanoutReady ? "assigned" : "waiting for partitions")
                .withData("draining", draining)
                .build();
    }
}
