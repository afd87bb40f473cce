package io.voicecoach.gateway.ws;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.audio.AudioPublisher;
import io.voicecoach.gateway.audio.TurnDetectors;
import io.voicecoach.gateway.limits.AppendRate;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens, resumes and ends the sessions of Realtime connections. A session outlives a dropped connection for the
 * resume window ({@link SessionSweeper} ends it after); its audio state stays here meanwhile.
 */
@Singleton
public class RealtimeSessions {

    static final String CLIENT_CLOSED = "client_closed";
    static final String RESUME_EXPIRED = "resume_expired";
    private static final Logger LOG = Logger.getLogger(RealtimeSessions.class);

    private final SessionRegistry registry;
    private final SessionPublisher publisher;
    private final AudioPublisher audioOut;
    private final GatewayConfig config;
    private final LimitsConfig limits;
    private final TurnDetectors detectors;
    private final MeterRegistry meters;
    private final Map<String, SessionAudio> audio = new ConcurrentHashMap<>();

    public RealtimeSessions(SessionRegistry registry, SessionPublisher publisher, AudioPublisher audioOut,
                            GatewayConfig config, LimitsConfig limits, TurnDetectors detectors, MeterRegistry meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.audioOut = audioOut;
        this.config = config;
        this.limits = limits;
        this.detectors = detectors;
        this.meters = meters;
    }

    WebSocketChannel channel(WebSocketConnection connection) {
        return new WebSocketChannel(connection, limits.maxPendingOutboundBytes());
    }

    /** A new session, empty when the tenant already holds its limit. */
    Optional<RealtimeSession> open(String tenantId, WebSocketChannel channel) {
        var session = registry.openWithin(tenantId, channel, limits.sessionsPerTenant());
        session.ifPresent(s -> {
            audio.put(s.id(), new SessionAudio(s, publisher, audioOut, config, detectors, meters, true,
                    new AppendRate(limits.appendsPerSecond())));
            endWhenClosedByGateway(s, channel);
        });
        return session;
    }

    /** Attaches {@code channel} to the tenant's session; empty when there is no such session (any more). */
    Optional<RealtimeSession> resume(String tenantId, String sessionId, String lastEventId, WebSocketChannel channel) {
        var session = registry.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).orElse(null);
        if (session == null) {
            return Optional.empty();
        }
        var previous = session.attach(channel, ServerEvents.sessionCreated(session), lastEventId);
        if (previous == null) {
            return Optional.empty();
        }
        endWhenClosedByGateway(session, channel);
        if (previous != channel && previous instanceof WebSocketChannel replaced) {
            replaced.closeWith(CloseCodes.SESSION_RESUMED, CloseCodes.SESSION_RESUMED_REASON);
        }
        LOG.debugf("session %s resumed", sessionId);
        return Optional.of(session);
    }

    /**
     * Ends the session as soon as the gateway closes its connection. Its open utterances are not committed: the
     * tracks belong to the connection's event loop, and this may run on a fan-out thread.
     */
    private void endWhenClosedByGateway(RealtimeSession session, WebSocketChannel channel) {
        channel.whenClosedByGateway(() -> {
            if (session.isAttachedTo(channel)) {
                end(session, channel.closedByGateway().getMessage()).subscribe().with(ok -> { }, failure -> { });
            }
        });
    }

    SessionAudio audio(RealtimeSession session) {
        return audio.get(session.id());
    }

    /** The connection behind {@code channel} closed: end the session, or keep it for a resume when it dropped. */
    Uni<Void> closed(RealtimeSession session, WebSocketChannel channel, boolean resumable) {
        var audioState = audio.get(session.id());
        if (!session.isAttachedTo(channel) || audioState == null) {
            return Uni.createFrom().voidItem();
        }
        // what the client said last still gets a final transcript
        audioState.commit(null);
        var byGateway = channel.closedByGateway();
        if (byGateway == null && resumable && session.detach(channel)) {
            return Uni.createFrom().voidItem();
        }
        return end(session, byGateway != null ? byGateway.getMessage() : CLIENT_CLOSED);
    }

    /** Forgets the session and publishes {@code session.ended}; only the first call for a session does. */
    Uni<Void> end(RealtimeSession session, String reason) {
        if (!registry.close(session)) {
            return Uni.createFrom().voidItem();
        }
        audio.remove(session.id());
        return publisher.ended(session, reason)
                .onFailure().invoke(failure -> LOG.warnf("session.ended of %s not published: %s", session.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
