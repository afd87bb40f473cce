package io.voicecoach.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.voicecoach.gateway.session.ClientChannel;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Realtime connection as a session's channel. Counts the characters (bytes, for ASCII JSON) handed to the
 * connection and not yet written to its socket: a client that stops reading makes them grow, and past {@code maxPendingBytes} the connection is closed with
 * {@link CloseCodes#SLOW_CLIENT} (one frame larger than the bound may still be written alone).
 */
final class WebSocketChannel implements ClientChannel {

    private static final Logger LOG = Logger.getLogger(WebSocketChannel.class);

    private final WebSocketConnection connection;
    /** The connection's event loop, where its frames are handled (null outside one, e.g. in tests). */
    private final Context context = Vertx.currentContext();
    private final long maxPendingBytes;
    private final AtomicLong pending = new AtomicLong();
    private volatile CloseReason closedByGateway;
    private volatile Runnable whenClosedByGateway = () -> { };

    WebSocketChannel(WebSocketConnection connection, long maxPendingBytes) {
        this.connection = connection;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public Uni<Void> send(String frame) {
        return Uni.createFrom().deferred(() -> {
            if (closedByGateway != null) {
                return Uni.createFrom().failure(new IllegalStateException("the gateway closed this connection"));
            }
            long size = frame.length();
            long before = pending.getAndAdd(size);
            if (before > 0 && before + size > maxPendingBytes) {
                pending.addAndGet(-size);
                LOG.infof("connection %s has %d bytes unread, closing it", connection.id(), before);
                closeWith(CloseCodes.SLOW_CLIENT, CloseCodes.SLOW_CLIENT_REASON);
                return Uni.createFrom().failure(new IllegalStateException("the client does not read"));
            }
            return connection.sendText(frame).onTermination().invoke(() -> pending.addAndGet(-size));
        });
    }

    @Override
    public boolean isOpen() {
        return closedByGateway == null && connection.isOpen();
    }

    @Override
    public void closeWith(int code, String reason) {
        synchronized (this) {
            if (closedByGateway != null) {
                return;
            }
            closedByGateway = new CloseReason(code, reason);
        }
        whenClosedByGateway.run();
        connection.close(closedByGateway).subscribe().with(ok -> { },
                failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
    }

    /** Runs {@code action} where the connection's frames are handled, so it never overlaps one. */
    void onContext(Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    /**
     * Runs when the gateway closes the connection, at once: the close handshake of a client that does not read may
     * take until the transport's closing timeout.
     */
    void whenClosedByGateway(Runnable action) {
        this.whenClosedByGateway = action;
    }

    /** Why the gateway closed this connection, null if it did not. */
    CloseReason closedByGateway() {
        return closedByGateway;
    }
}
