package io.voicecoach.gateway.ws;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.audio.AudioPublisher;
import io.voicecoach.gateway.audio.TurnDetectors;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.fanout.SessionReplay;
import io.voicecoach.gateway.limits.AppendRate;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.limits.RequestRates;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.ClosedChannel;
import io.voicecoach.gateway.session.Cursor;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionConfig;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionOpener;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.tenant.Verification;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens, resumes and ends the sessions of Realtime connections. A session outlives a dropped connection for the
 * resume window ({@link SessionSweeper} ends it after); its audio state stays here meanwhile. A resume may name a
 * session held by another instance (or by a dead one): it is rebuilt from its snapshot on {@code gateway.sessions}
 * and what the client missed is replayed from Kafka. An instance that sees a newer epoch of a session it holds (the
 * client resumed elsewhere) lets its copy go.
 */
@Singleton
public class RealtimeSessions {

    static final String CLIENT_CLOSED = "client_closed";
    static final String RESUME_EXPIRED = "resume_expired";
    private static final Logger LOG = Logger.getLogger(RealtimeSessions.class);

    private final SessionRegistry registry;
    private final SessionPublisher publisher;
    private final AudioPublisher audioOut;
    private final SessionSnapshots snapshots;
    private final SessionStore store;
    private final SessionReplay replay;
    private final GatewayConfig config;
    private final SessionConfig sessionConfig;
    private final LimitsConfig limits;
    private final TurnDetectors detectors;
    private final MeterRegistry meters;
    private final RequestRates requestRates;
    private final Map<String, SessionAudio> audio = new ConcurrentHashMap<>();

    public RealtimeSessions(SessionRegistry registry, SessionPublisher publisher, AudioPublisher audioOut,
                            SessionSnapshots snapshots, SessionStore store, SessionReplay replay, GatewayConfig config,
                            SessionConfig sessionConfig, LimitsConfig limits, TurnDetectors detectors,
                            MeterRegistry meters, RequestRates requestRates) {
        this.requestRates = requestRates;
        this.registry = registry;
        this.publisher = publisher;
        this.audioOut = audioOut;
        this.snapshots = snapshots;
        this.store = store;
        this.replay = replay;
        this.config = config;
        this.sessionConfig = sessionConfig;
        this.limits = limits;
        this.detectors = detectors;
        this.meters = meters;
        store.onChange(this::snapshotSeen);
    }

    WebSocketChannel channel(WebSocketConnection connection) {
        return new WebSocketChannel(connection, limits.maxPendingOutboundBytes());
    }

    /**
     * A new session (a transcription session for {@code ?intent=transcription}) opened by {@code opener}, in the call
     * and role it is bound to; empty at the tenant's limit.
     */
    Optional<RealtimeSession> open(String tenantId, WebSocketChannel channel, boolean transcription,
                                   SessionOpener opener) {
        var session = registry.openWithin(tenantId, channel, limits.sessionsPerTenant());
        session.ifPresent(s -> {
            s.openedBy(opener);
            if (opener.boundToCall()) {
                s.configure(s.settings().withVoiceCoach(s.settings().voicecoach().inCall(opener.callId(),
                        opener.role())));
            }
            if (transcription) {
                s.configure(s.settings().asTranscription());
            }
            audio.put(s.id(), newAudio(s));
            endWhenClosedByGateway(s, channel);
            snapshots.write(s);
        });
        return session;
    }

    private SessionAudio newAudio(RealtimeSession session) {
        return new SessionAudio(session, publisher, audioOut, config, detectors, meters, true,
                new AppendRate(limits.appendsPerSecond(), limits.maxAudioRate(), limits.audioRateBurst()));
    }

    /** True when a resume of {@code sessionId} by {@code tenantId} can be served here (held here, or taken over). */
    boolean resumable(String tenantId, String sessionId) {
        return registry.find(sessionId).map(s -> s.tenantId().equals(tenantId)).orElse(false)
                || sessionConfig.failover() && snapshotToTakeOver(tenantId, sessionId).isPresent();
    }

    /**
     * True when {@code credential} may resume the session ({@link CallAccess#mayResume}), judged by the copy held here
     * or else its snapshot (so every instance judges a takeover the same way). Call after {@link #resumable}.
     */
    boolean mayResume(Verification credential, String sessionId) {
        var held = registry.find(sessionId).orElse(null);
        if (held != null) {
            return CallAccess.mayResume(credential, sessionId, held.opener(), held.settings().voicecoach());
        }
        return store.find(sessionId).filter(s -> CallAccess.mayResume(credential, sessionId, s.opener(),
                s.configured().voicecoach())).isPresent();
    }

    private Optional<SessionSnapshot> snapshotToTakeOver(String tenantId, String sessionId) {
        return store.find(sessionId).filter(s -> s.tenantId().equals(tenantId) && s.resumable());
    }

    /**
     * Attaches {@code channel} to the tenant's session, taking it over from its snapshot when another instance held
     * it; then replays from the client's cursor ({@code lastEventId}), else from where the session's last client was
     * when it dropped. Empty when there is no such session (any more).
     */
    Optional<RealtimeSession> resume(String tenantId, String sessionId, String lastEventId, WebSocketChannel channel) {
        var session = registry.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).orElse(null);
        if (session == null && sessionConfig.failover()) {
            session = snapshotToTakeOver(tenantId, sessionId).map(this::takeOver).orElse(null);
        }
        if (session == null) {
            return Optional.empty();
        }
        var client = session.client();
        var from = Cursor.parse(lastEventId).orElseGet(client::detachCursor);
        var attachment = client.attach(channel,
                RealtimeJson.frame(ServerEvent.SessionCreated.of(session.id(), session.settings())), from);
        if (attachment == null) {
            return Optional.empty();
        }
        endWhenClosedByGateway(session, channel);
        snapshots.write(session);
        replay.replay(session, attachment.stream(), from);
        if (attachment.previous() != channel && attachment.previous() instanceof WebSocketChannel replaced) {
            replaced.closeWith(CloseCodes.SESSION_RESUMED, CloseCodes.SESSION_RESUMED_REASON);
        }
        LOG.debugf("session %s resumed (epoch %d)", sessionId, client.epoch());
        return Optional.of(session);
    }

    private RealtimeSession takeOver(SessionSnapshot snapshot) {
        var session = registry.adopt(snapshot, ClosedChannel.INSTANCE);
        audio.computeIfAbsent(session.id(), id -> {
            var state = newAudio(session);
            state.continueTracks(snapshot.trackPositionsMs(),
                    Duration.between(snapshot.openedAt(), Instant.now()).toMillis());
            return state;
        });
        LOG.infof("taking over session %s of tenant %s from %s (epoch %d)", snapshot.sessionId(),
                snapshot.tenantId(), snapshot.holder(), session.client().epoch());
        return session;
    }

    /**
     * Ends the session as soon as the gateway closes its connection. Its open utterances are not committed: the
     * tracks belong to the connection's event loop, and this may run on a fan-out thread.
     */
    private void endWhenClosedByGateway(RealtimeSession session, WebSocketChannel channel) {
        channel.whenClosedByGateway(() -> {
            if (session.client().isAttachedTo(channel)) {
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
        var client = session.client();
        if (!client.isAttachedTo(channel) || audioState == null) {
            return Uni.createFrom().voidItem();
        }
        // what the client said last still gets a final transcript
        audioState.commit(null);
        var byGateway = channel.closedByGateway();
        if (byGateway == null && resumable && client.detach(channel)) {
            client.trackPositions(audioState.positions());
            snapshots.write(session);
            return Uni.createFrom().voidItem();
        }
        return end(session, byGateway != null ? byGateway.getMessage() : CLIENT_CLOSED);
    }

    /**
     * Hands the session over before this instance stops: on the connection's thread, commits its open utterances,
     * detaches it (its snapshot then names no holder) and closes the connection with 1012, telling the client to
     * resume elsewhere. Completes once that is done.
     */
    CompletableFuture<Void> handOver(RealtimeSession session, WebSocketChannel channel) {
        var done = new CompletableFuture<Void>();
        channel.onContext(() -> {
            try {
                var audioState = audio.get(session.id());
                var client = session.client();
                if (audioState != null && client.isAttachedTo(channel)) {
                    audioState.commit(null);
                    if (client.detach(channel)) {
                        client.trackPositions(audioState.positions());
                        snapshots.write(session);
                    }
                }
                channel.closeWith(CloseCodes.SERVICE_RESTART, CloseCodes.SERVICE_RESTART_REASON);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Forgets the session, publishes {@code session.ended}, then removes its snapshot; only the first call for a
     * session does.
     */
    Uni<Void> end(RealtimeSession session, String reason) {
        if (!registry.close(session)) {
            return Uni.createFrom().voidItem();
        }
        store.ended(session.id());
        audio.remove(session.id());
        requestRates.forget(session.id());
        return publisher.ended(session, reason)
                .onFailure().invoke(failure -> LOG.warnf("session.ended of %s not published: %s", session.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(() -> snapshots.ended(session.id()));
    }

    /**
     * A snapshot from {@code gateway.sessions}. One of a session held here with a higher epoch (or the same epoch and a
     * higher instance id) means the client resumed elsewhere: this copy goes, without ending the session. One with the
     * same epoch and a lower instance id lost a race against this instance, whose snapshot is written again.
     */
    private void snapshotSeen(String sessionId, SessionSnapshot snapshot) {
        if (snapshot == null) {
            return;
        }
        var session = registry.find(sessionId).orElse(null);
        if (session == null || snapshots.instanceId().equals(snapshot.holder())) {
            return;
        }
        int epoch = session.client().epoch();
        boolean newer = snapshot.epoch() > epoch || snapshot.epoch() == epoch
                && snapshot.holder() != null && snapshot.holder().compareTo(snapshots.instanceId()) > 0;
        if (newer) {
            release(session);
        } else if (snapshot.epoch() == epoch && snapshot.holder() != null) {
            snapshots.write(session);
        }
    }

    private void release(RealtimeSession session) {
        var channel = session.client().channel();
        session.client().detach(channel);
        if (!registry.close(session)) {
            return;
        }
        audio.remove(session.id());
        requestRates.forget(session.id());
        LOG.infof("session %s was resumed on another instance; letting it go", session.id());
        if (channel instanceof WebSocketChannel connection) {
            connection.closeWith(CloseCodes.SESSION_RESUMED, CloseCodes.SESSION_RESUMED_REASON);
        }
    }
}
