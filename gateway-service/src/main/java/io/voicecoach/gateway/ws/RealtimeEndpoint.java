package io.voicecoach.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
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
import io.vertx.core.http.HttpClosedException;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.tenant.Revocations;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The OpenAI Realtime-compatible WebSocket. {@link CredentialUpgradeCheck} has authenticated the tenant; each connection
 * carries one {@link RealtimeSession} (new, or resumed with {@code ?session_id=}), kept in the connection's user data.
 * Frames of a connection are handled in order.
 */
@Singleton
@WebSocket(path = "/v1/realtime", endpointId = RealtimeEndpoint.ID)
public class RealtimeEndpoint {

    public static final String ID = "realtime";

    private static final Logger LOG = Logger.getLogger(RealtimeEndpoint.class);
    private static final UserData.TypedKey<RealtimeSession> SESSION = new UserData.TypedKey<>("voicecoach.session");
    private static final UserData.TypedKey<WebSocketChannel> CHANNEL = new UserData.TypedKey<>("voicecoach.channel");

    private final RealtimeSessions sessions;
    private final ClientEvents clientEvents;
    private final RateLimitFrames rateLimits;
    private final Revocations revocations;

    public RealtimeEndpoint(RealtimeSessions sessions, ClientEvents clientEvents, RateLimitFrames rateLimits,
                            Revocations revocations) {
        this.revocations = revocations;
        this.sessions = sessions;
        this.clientEvents = clientEvents;
        this.rateLimits = rateLimits;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        var data = connection.userData();
        String tenantId = data.get(CredentialUpgradeCheck.TENANT_ID);
        var channel = sessions.channel(connection);
        data.put(CHANNEL, channel);
        revocations.opened(channel, data.get(CredentialUpgradeCheck.CREDENTIAL_HASH));
        String resume = data.get(CredentialUpgradeCheck.RESUME_SESSION_ID);
        if (resume != null) {
            var session = sessions.resume(tenantId, resume, data.get(CredentialUpgradeCheck.LAST_EVENT_ID), channel);
            session.ifPresent(s -> data.put(SESSION, s));
            return session.isPresent() ? Uni.createFrom().voidItem()
                    : refuse(channel, RealtimeError.invalid(CredentialUpgradeCheck.SESSION_NOT_FOUND,
                    "session " + resume + " has ended", null), CloseCodes.SESSION_NOT_FOUND);
        }
        boolean transcription = Boolean.TRUE.equals(data.get(CredentialUpgradeCheck.TRANSCRIPTION));
        var session = sessions.open(tenantId, channel, transcription, data.get(CredentialUpgradeCheck.OPENER))
                .orElse(null);
        if (session == null) {
            return refuse(channel, RealtimeError.invalid(RealtimeError.SESSION_LIMIT_REACHED,
                    "the tenant holds the most sessions allowed", null), CloseCodes.SESSION_LIMIT);
        }
        data.put(SESSION, session);
        LOG.debugf("session %s opened for tenant %s", session.id(), tenantId);
        session.client().send(RealtimeJson.frame(ServerEvent.SessionCreated.of(session.id(), session.settings())))
                .subscribe().with(ok -> { }, failure -> { });
        return session.client().send(rateLimits.frame(session, sessions.audio(session)));
    }

    /** The frame's UTF-8 bytes, not a String: decoding ~6 KB audio frames into chars cost more than parsing them. */
    @OnTextMessage
    public Uni<Void> onText(Buffer frame, WebSocketConnection connection) {
        var session = session(connection);
        session.client().touch();
        return clientEvents.onFrame(session, sessions.audio(session), frame, Instant.now());
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer frame, WebSocketConnection connection) {
        var session = session(connection);
        session.client().touch();
        var error = RealtimeError.invalidEvent("the Realtime protocol uses JSON text frames only", null);
        return session.client().send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, null)));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        revocations.closed(connection.userData().get(CHANNEL));
        var session = session(connection);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        return sessions.closed(session, connection.userData().get(CHANNEL), dropped(connection.closeReason()));
    }

    @OnError
    public Uni<Void> onError(Throwable failure, WebSocketConnection connection) {
        var session = session(connection);
        if (failure instanceof HttpClosedException) {
            LOG.debugf("connection %s closed with frames unsent", connection.id());
            return Uni.createFrom().voidItem();
        }
        if (messageTooBig(failure)) {
            // the transport dropped what it had of the message; its remaining frames would be read as a new one
            LOG.debugf("connection %s sent a message above the frame limit", connection.id());
            return connection.close(new CloseReason(CloseCodes.MESSAGE_TOO_BIG, RealtimeError.FRAME_TOO_LARGE));
        }
        LOG.errorf(failure, "unexpected failure on connection %s", connection.id());
        if (session == null || !connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        var error = RealtimeError.internal("the frame could not be processed");
        return session.client().send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, null)));
    }

    /**
     * Anything but a close frame with 1000 (a lost connection, 1001 going away, a close without a code, which the
     * transport cannot tell from a lost connection): the client may come back.
     */
    private static boolean dropped(CloseReason reason) {
        return reason == null || reason.getCode() != CloseReason.NORMAL.getCode();
    }

    /** Vert.x's signal for a fragmented message above {@code max-message-size}: it has no type of its own. */
    /** The transport's refusal of a message above {@code max-message-size} (Vert.x names it in the message). */
    public static boolean messageTooBig(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("max message size");
    }

    private static Uni<Void> refuse(WebSocketChannel channel, RealtimeError error, int closeCode) {
        return channel.send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, null))).onFailure().recoverWithNull()
                .invoke(() -> channel.closeWith(closeCode, error.code()));
    }

    private static RealtimeSession session(WebSocketConnection connection) {
        return connection.userData().get(SESSION);
    }
}
