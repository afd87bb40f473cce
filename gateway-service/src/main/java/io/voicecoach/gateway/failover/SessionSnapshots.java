package io.voicecoach.gateway.failover;

import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;

/**
 * Writes the snapshots of the sessions held here to {@code gateway.sessions}: on open, settings changes, the first
 * acknowledged {@code session.started}, attach, detach and drain; a tombstone when the session ended. A snapshot is
 * built and queued under the session's lock, so a session's snapshots reach Kafka in the order they were taken.
 */
@ApplicationScoped
public class SessionSnapshots {

    private final StateTopics topics;
    private final SessionStore store;
    private final String instanceId;
    private volatile boolean draining;

    public SessionSnapshots(StateTopics topics, SessionStore store, GatewayConfig config) {
        this.topics = topics;
        this.store = store;
        this.instanceId = config.instanceId();
    }

    /** The session's current state, held by this instance (by none once it drains). */
    public void write(RealtimeSession session) {
        synchronized (session) {
            topics.writeSession(session.id(), session.snapshot(draining ? null : instanceId).json());
        }
    }

    /**
     * Writes the session's current state now and completes once Kafka has it: a change the client was told about
     * (a deleted or truncated item) survives this instance dying right after.
     */
    public CompletableFuture<Void> writeAcknowledged(RealtimeSession session) {
        synchronized (session) {
            return topics.writeAcknowledged(Topics.GATEWAY_SESSIONS, session.id(),
                    session.snapshot(draining ? null : instanceId).json());
        }
    }

    /** From now on every snapshot says no instance holds its session: this one is going away. */
    public void draining() {
        draining = true;
    }

    /** The session ended: its snapshot goes (a tombstone). */
    public void ended(String sessionId) {
        store.ended(sessionId);
        topics.writeSession(sessionId, null);
    }

    public String instanceId() {
        return instanceId;
    }
}
