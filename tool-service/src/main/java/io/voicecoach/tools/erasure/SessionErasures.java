package io.voicecoach.tools.erasure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
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
        SessionErased erased;
        String tenantId;
        String sessionId;
        try {
            var event = EventCodec.decode(value);
            if (!(event.payload() instanceof SessionErased payload)) {
                return;
            }
            erased = payload;
            tenantId = event.tenantId();
            sessionId = event.sessionId();
        } catch (InvalidEventException e) {
            return; // not ours to judge: the topic's consumers that store it park such records
        }
        if (tenantId == null || tenantId.isBlank()) {
            return;
        }
        int deleted;
        if (SessionErased.TENANT.equals(erased.scope())) {
            deleted = entityManager.createNativeQuery("DELETE FROM tool_calls WHERE tenant_id = :tenant")
                    .setParameter("tenant", tenantId).executeUpdate();
        } else if (SessionErased.SESSION.equals(erased.scope()) && sessionId != null && !sessionId.isBlank()) {
            deleted = entityManager.createNativeQuery(
                            "DELETE FROM tool_calls WHERE tenant_id = :tenant AND session_id = :session")
                    .setParameter("tenant", tenantId).setParameter("session", sessionId).executeUpdate();
        } else {
            LOG.warnf("session.erased of tenant %s with unknown scope ignored", tenantId);
            return;
        }
        erasedRows.increment(deleted);
        if (deleted > 0) {
            LOG.infof("erased %d tool call(s) of tenant %s (%s)", deleted, tenantId, erased.scope());
        }
    }
}
