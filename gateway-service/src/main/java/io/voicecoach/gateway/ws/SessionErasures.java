package io.voicecoach.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.SessionErased;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Erasure reaches the gateway: a {@code session.erased} on {@code voice.sessions} makes every instance (per-instance
 * group) forget the session of the envelope's tenant ({@code scope: session}), or every session of that tenant it
 * knows ({@code scope: tenant}). A session held here is closed ({@value CloseCodes#SESSION_ERASED}
 * {@code session_erased}) and ended, which forgets its state here (registry, audio, rates) and tombstones its
 * snapshot; a session only known from its snapshot on {@code gateway.sessions} (held by another instance, or by a dead
 * one) leaves the store at once, and this instance tombstones it too, so it can be resumed nowhere. A session id of
 * another tenant is never touched. Erasing twice finds nothing the second time; the topic's other events are skipped.
 */
@ApplicationScoped
public class SessionErasures {

    private static final Logger LOG = Logger.getLogger(SessionErasures.class);
    /** Cheap filter before decoding: most records of the topic are other session events. */
    private static final String ERASED_TYPE = "\"" + EventTypes.SESSION_ERASED + "\"";

    private final SessionRegistry registry;
    private final SessionStore store;
    private final SessionSnapshots snapshots;
    private final RealtimeSessions sessions;
    private final Counter erased;

    public SessionErasures(SessionRegistry registry, SessionStore store, SessionSnapshots snapshots,
                           RealtimeSessions sessions, MeterRegistry meters) {
        this.registry = registry;
        this.store = store;
        this.snapshots = snapshots;
        this.sessions = sessions;
        this.erased = Counter.builder("voicecoach.gateway.sessions.erased")
                .description("Sessions forgotten by this instance on session.erased").register(meters);
    }

    @Incoming("session-erasures")
    public void onSessionEvent(String value) {
        if (value == null || !value.contains(ERASED_TYPE)) {
            return;
        }
        Event<?> event;
        try {
            event = EventCodec.decode(value);
        } catch (InvalidEventException e) {
            return; // the topic's storing consumers park such records
        }
        SessionErased.targetOf(event).ifPresent(target -> {
            if (target.wholeTenant()) {
                sessionsOf(target.tenantId()).forEach(id -> erase(target.tenantId(), id));
            } else {
                erase(target.tenantId(), target.sessionId());
            }
        });
    }

    /** Forgets the tenant's session of this id, here and on {@code gateway.sessions}; nothing of another tenant. */
    void erase(String tenantId, String sessionId) {
        var held = registry.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).orElse(null);
        var known = store.find(sessionId).filter(s -> s.tenantId().equals(tenantId)).orElse(null);
        if (held == null && known == null) {
            return;
        }
        LOG.infof("erasing session %s of tenant %s", sessionId, tenantId);
        erased.increment();
        if (held != null) {
            close(held);
        }
        // held here or elsewhere: out of this store at once (a snapshot still on its way is not taken back), tombstone
        snapshots.ended(sessionId);
    }

    private void close(RealtimeSession session) {
        var channel = session.client().channel();
        channel.closeWith(CloseCodes.SESSION_ERASED, CloseCodes.SESSION_ERASED_REASON);
        if (!VoiceCoachSettings.MEDIA.equals(session.settings().voicecoach().role())) {
            // a Realtime session detached awaiting a resume has no connection to close: end it here (once only);
            // a Twilio stream ends when its socket closes
            sessions.end(session, CloseCodes.SESSION_ERASED_REASON).subscribe().with(ok -> { }, failure -> { });
        }
    }

    private Set<String> sessionsOf(String tenantId) {
        var ids = new LinkedHashSet<String>();
        registry.all().stream().filter(s -> s.tenantId().equals(tenantId)).forEach(s -> ids.add(s.id()));
        store.all().stream().filter(s -> s.tenantId().equals(tenantId)).map(SessionSnapshot::sessionId)
                .forEach(ids::add);
        return ids;
    }
}
