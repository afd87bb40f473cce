package io.voicecoach.tools.erasure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.SessionErased;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Erasure reaches the audit log: a {@code session.erased} on {@code voice.sessions} deletes the {@code tool_calls}
 * rows of the envelope's tenant, of its session ({@code scope: session}) or of all its sessions
 * ({@code scope: tenant}, one record per partition: each deletes what is left). Never another tenant's rows.
 * Deleting twice deletes nothing more, so a redelivery is harmless; the other events of the topic are skipped.
 */
@ApplicationScoped
public class SessionErasures {

    private static final Logger LOG = Logger.getLogger(SessionErasures.class);

    private final EntityManager entityManager;
    private final Counter erasedRows;

    public SessionErasures(EntityManager entityManager, MeterRegistry meters) {
        this.entityManager = entityManager;
        this.erasedRows = Counter.builder("voicecoach.tool.erased.calls")
                .description("Audit rows of tool calls deleted by session.erased").register(meters);
    }

    @Incoming("session-erasures")
    @Blocking
    @Transactional
    public void onSessionEvent(byte[] value) {
        Event<?> event;
        try {
            event = EventCodec.decode(value);
        } catch (InvalidEventException e) {
            return; // not ours to judge: the topic's consumers that store it park such records
        }
        var target = SessionErased.targetOf(event).orElse(null);
        if (target == null) {
            return;
        }
        int deleted = target.wholeTenant()
                ? entityManager.createNativeQuery("DELETE FROM tool_calls WHERE tenant_id = :tenant")
                        .setParameter("tenant", target.tenantId()).executeUpdate()
                : entityManager.createNativeQuery(
                                "DELETE FROM tool_calls WHERE tenant_id = :tenant AND session_id = :session")
                        .setParameter("tenant", target.tenantId()).setParameter("session", target.sessionId())
                        .executeUpdate();
        erasedRows.increment(deleted);
        if (deleted > 0) {
            LOG.infof("erased %d tool call(s) of tenant %s (%s)", deleted, target.tenantId(),
                    target.wholeTenant() ? SessionErased.TENANT : SessionErased.SESSION);
        }
    }
}
