package io.voicecoach.gateway.ws;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.audio.AudioPublisher;
import io.voicecoach.gateway.audio.TurnDetectors;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The OpenAI Realtime-compatible WebSocket. {@link CredentialUpgradeCheck} has authenticated the tenant; each connection
 * is one {@link RealtimeSession}, kept in the connection's user data. Frames of a connection are handled in order.
 */
@Singleton
@WebSocket(path = "/v1/realtime", endpointId = RealtimeEndpoint.ID)
public class RealtimeEndpoint {

    public static final String ID = "realtime";
    static final String CLIENT_CLOSED = "client_closed";

    private static final Logger LOG = Logger.getLogger(RealtimeEndpoint.class);
    private static final UserData.TypedKey<RealtimeSession> SESSION = new UserData.TypedKey<>("voicecoach.session");
    private static final UserData.TypedKey<SessionAudio> AUDIO = new UserData.TypedKey<>("voicecoach.audio");

    private final SessionRegistry registry;
    private final ClientEvents clientEvents;
    private final SessionPublisher publisher;
    private final AudioPublisher audioOut;
    private final GatewayConfig config;
    private final TurnDetectors detectors;
    private final MeterRegistry meters;

    public RealtimeEndpoint(SessionRegistry registry, ClientEvents clientEvents, SessionPublisher publisher,
                            AudioPublisher audioOut, GatewayConfig config, TurnDetectors detectors,
                            MeterRegistry meters) {
        this.registry = registry;
        this.clientEvents = clientEvents;
        this.publisher = publisher;
        this.audioOut = audioOut;
        this.config = config;
        this.detectors = detectors;
        this.meters = meters;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String tenantId = connection.userData().get(CredentialUpgradeCheck.TENANT_ID);
        var session = registry.open(tenantId, new WebSocketChannel(connection));
        connection.userData().put(SESSION, session);
        connection.userData().put(AUDIO, new SessionAudio(session, publisher, audioOut, config, detectors, meters, true));
        LOG.debugf("session %s opened for tenant %s", session.id(), tenantId);
        return session.send(ServerEvents.sessionCreated(session));
    }

    @OnTextMessage
    public Uni<Void> onText(String frame, WebSocketConnection connection) {
        return clientEvents.onFrame(session(connection), connection.userData().get(AUDIO), frame, Instant.now());
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer frame, WebSocketConnection connection) {
        var error = RealtimeError.invalidEvent("the Realtime protocol uses JSON text frames only", null);
        return session(connection).send(ServerEvents.error(error, null));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        var session = session(connection);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        registry.close(session);
        // what the client said last still gets a final transcript
        connection.userData().get(AUDIO).commit(null);
        return publisher.ended(session, CLIENT_CLOSED)
                .onFailure().invoke(failure -> LOG.warnf("session.ended of %s not published: %s", session.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    @OnError
    public Uni<Void> onError(Throwable failure, WebSocketConnection connection) {
        LOG.errorf(failure, "unexpected failure on connection %s", connection.id());
        var session = session(connection);
        if (session == null || !connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return session.send(ServerEvents.error(RealtimeError.internal("the frame could not be processed"), null));
    }

    private static RealtimeSession session(WebSocketConnection connection) {
        return connection.userData().get(SESSION);
    }
}
