package io.voicecoach.gateway.twilio;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.session.ClientChannel;
import org.jboss.logging.Logger;

/**
 * A Twilio stream's side of its session. Twilio understands only its own frames: the agent's speech as
 * {@link TwilioOut} frames is written to it, Realtime events and suggestions never are. The gateway may close it (idle timeout, revocation); the session then ends for that reason.
 */
final class TwilioChannel implements ClientChannel {

    private static final Logger LOG = Logger.getLogger(TwilioChannel.class);

    private final WebSocketConnection connection;
    private volatile String closedBy;

    TwilioChannel(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public Uni<Void> send(String frame) {
        if (!frame.startsWith(TwilioOut.PREFIX) || !isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return connection.sendText(frame);
    }

    @Override
    public boolean isOpen() {
        return closedBy == null && connection.isOpen();
    }

    @Override
    public void closeWith(int code, String reason) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
        }
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { },
                failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
    }

    /** The session's end reason: why the gateway closed the stream, else {@code client_closed}. */
    String endReason() {
        return closedBy != null ? closedBy : TwilioMediaEndpoint.CLIENT_CLOSED;
    }
}
