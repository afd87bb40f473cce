package io.voicecoach.gateway.ws;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.failover.InstanceLiveness;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.failover.StateTopics;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * On shutdown (SIGTERM), before anything else stops: refuses new connections (503 {@code draining}), hands every
 * Realtime session over (open utterances committed, snapshot detached with no holder, connection closed with 1012
 * {@code service_restart}, so the client resumes on another instance), waits for the sessions' publications, and
 * removes this instance's liveness record. Bounded by {@code voicecoach.gateway.drain-timeout}. Twilio streams are
 * not handed over (Twilio does not reconnect): they end when their connections close, or another instance ends them
 * as orphans.
 */
@ApplicationScoped
public class GatewayDrain {

    private static final Logger LOG = Logger.getLogger(GatewayDrain.class);

    private final SessionRegistry registry;
    private final RealtimeSessions sessions;
    private final SessionSweeper sweeper;
    private final SessionSnapshots snapshots;
    private final InstanceLiveness liveness;
    private final StateTopics topics;
    private final Duration timeout;
    private volatile boolean draining;
    private final Thread hook = Thread.ofPlatform().name("gateway-drain").unstarted(this::drain);

    public GatewayDrain(SessionRegistry registry, RealtimeSessions sessions, SessionSweeper sweeper,
                        SessionSnapshots snapshots, InstanceLiveness liveness, StateTopics topics,
                        GatewayConfig config) {
        this.registry = registry;
        this.sessions = sessions;
        this.sweeper = sweeper;
        this.snapshots = snapshots;
        this.liveness = liveness;
        this.topics = topics;
        this.timeout = config.drainTimeout();
    }

    /**
     * Quarkus fires {@link ShutdownEvent} only after HTTP's graceful shutdown waited for requests in flight (an open
     * WebSocket is one), which would keep clients on a stopping instance for {@code quarkus.shutdown.timeout}: a JVM
     * shutdown hook drains at once on SIGTERM instead, in parallel with it.
     */
    void onStart(@Observes StartupEvent started) {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent stopping) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmExiting) {
            // the hook runs (or ran) drain(); the call below waits for it
        }
        drain();
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Hands one Realtime session over as {@link #drain} does, this instance staying up (its client resumes here or
     * anywhere); false when the session is not attached here.
     */
    public boolean handOver(String sessionId) {
        var session = registry.find(sessionId).orElse(null);
        if (session == null || !(session.client().channel() instanceof WebSocketChannel channel)
                || !session.client().isAttachedTo(channel)) {
            return false;
        }
        sessions.handOver(session, channel).join();
        return true;
    }

    /** Hands every session over and stops this instance's liveness record; the second call does nothing. */
    public synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        sweeper.halt();
        snapshots.draining();
        var handovers = new ArrayList<CompletableFuture<Void>>();
        int handedOver = 0;
        for (var session : registry.all()) {
            var client = session.client();
            if (client.channel() instanceof WebSocketChannel channel && client.isAttachedTo(channel)) {
                handovers.add(sessions.handOver(session, channel));
                handedOver++;
            } else if (!client.isOpen()) {
                snapshots.write(session); // detached: it waits for its client elsewhere now
            }
        }
        await(CompletableFuture.allOf(handovers.toArray(CompletableFuture[]::new)), deadline);
        var published = registry.all().stream()
                .map(session -> session.publication().settled().subscribeAsCompletionStage())
                .toArray(CompletableFuture[]::new);
        await(CompletableFuture.allOf(published), deadline);
        liveness.stop();
        topics.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(1));
        LOG.infof("drained: %d sessions handed over", handedOver);
    }

    private static void await(CompletableFuture<Void> all, long deadline) {
        try {
            all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            LOG.warnf("drain did not finish in time: %s", e.toString());
        }
    }
}
