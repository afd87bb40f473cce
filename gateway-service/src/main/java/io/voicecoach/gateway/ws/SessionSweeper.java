package io.voicecoach.gateway.ws;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.SessionConfig;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Every {@code voicecoach.limits.sweep-interval}: closes Realtime connections idle past the idle timeout (error
 * {@code idle_timeout}, close 4001; Twilio streams with the close only), ends the sessions whose client did not resume within the resume window, and
 * writes the snapshot of sessions whose conversation changed through the pipeline (at most every
 * {@code voicecoach.session.conversation-snapshot-interval}).
 */
@ApplicationScoped
public class SessionSweeper {

    private static final Logger LOG = Logger.getLogger(SessionSweeper.class);

    private final SessionRegistry registry;
    private final RealtimeSessions sessions;
    private final LimitsConfig limits;
    private final SessionConfig sessionConfig;
    private final Vertx vertx;
    private final SessionSnapshots snapshots;
    private long timer = -1;

    public SessionSweeper(SessionRegistry registry, RealtimeSessions sessions, LimitsConfig limits,
                          SessionConfig sessionConfig, Vertx vertx, SessionSnapshots snapshots) {
        this.snapshots = snapshots;
        this.registry = registry;
        this.sessions = sessions;
        this.limits = limits;
        this.sessionConfig = sessionConfig;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(limits.sweepInterval().toMillis(), ignored -> sweep());
    }

    void stop(@Observes ShutdownEvent stopping) {
        halt();
    }

    /** No more sweeps: a draining instance leaves its detached sessions to the instance that resumes or ends them. */
    void halt() {
        vertx.cancelTimer(timer);
    }

    void sweep() {
        var resumeCutoff = Instant.now().minus(sessionConfig.resumeWindow());
        long now = System.nanoTime();
        long snapshotInterval = sessionConfig.conversationSnapshotInterval().toNanos();
        for (var session : registry.all()) {
            var client = session.client();
            if (session.conversation().snapshotDue(now, snapshotInterval)) {
                snapshots.write(session);
            }
            if (client.expireIfDetachedBefore(resumeCutoff)) {
                sessions.end(session, RealtimeSessions.RESUME_EXPIRED).subscribe().with(ok -> { }, failure -> { });
            } else if (!client.channel().isOpen() || client.idleFor().compareTo(limits.idleTimeout()) <= 0) {
                continue;
            } else if (!(client.channel() instanceof WebSocketChannel channel)) {
                // a telephony stream: its transport has no error event
                client.channel().closeWith(CloseCodes.IDLE_TIMEOUT, CloseCodes.IDLE_TIMEOUT_REASON);
            } else {
                LOG.debugf("session %s idle for %s, closing its connection", session.id(), client.idleFor());
                var error = RealtimeError.invalid(RealtimeError.IDLE_TIMEOUT, "no client event for "
                        + limits.idleTimeout().toSeconds() + " s: the connection is closed", null);
                channel.send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, null))).onFailure().recoverWithNull()
                        .subscribe().with(ok -> channel.closeWith(CloseCodes.IDLE_TIMEOUT,
                                CloseCodes.IDLE_TIMEOUT_REASON));
            }
        }
    }
}
