package io.voicecoach.analytics.api;

import io.voicecoach.analytics.live.LiveCalls;
import io.voicecoach.events.Event;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.SessionEvent;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ServiceUnavailableException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Right to erasure: deletes a session and everything derived from it (utterances, suggestions, tool calls), and
 * remembers its id so that its late or redelivered events are dropped rather than stored again. Before deleting, it
 * announces the erasure to the other services' stores ({@code session.erased}, scope {@code session}, on
 * {@code voice.sessions}: coaching's memory, tool-service's audit rows) and waits for the broker; if that fails nothing
 * is deleted and the caller may try again.
 */
@ApplicationScoped
public class Erasure {

    private static final List<String> DERIVED = List.of("tool_calls", "suggestions", "utterances", "stage_changes",
            "llm_calls", "transcription_failures", "agent_speech_items");

    static final String REQUESTED_BY = "api";
    private static final Logger LOG = Logger.getLogger(Erasure.class);
    private static final long ANNOUNCE_TIMEOUT_SECONDS = 10;

    private final EntityManager entityManager;
    private final LiveCalls live;
    private final EventPublisher<SessionEvent> sessions;

    public Erasure(EntityManager entityManager, LiveCalls live, @Channel("erasures") Emitter<Event<?>> erasures,
                   @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.entityManager = entityManager;
        this.live = live;
        this.sessions = new EventPublisher<>(Topics.SESSIONS, erasures, producer);
    }

    /** @return false if the tenant has no such session */
    @Transactional
    public boolean erase(String tenantId, String sessionId) {
        // the lock makes ingestion of this session wait, then see the erasure (BatchWriter)
        boolean exists = !entityManager.createNativeQuery(
                        "select session_id from sessions where tenant_id = ?1 and session_id = ?2 for update")
                .setParameter(1, tenantId).setParameter(2, sessionId).getResultList().isEmpty();
        if (!exists) {
            return false;
        }
        announce(tenantId, sessionId);
        for (String table : DERIVED) {
            entityManager.createNativeQuery("delete from " + table + " where tenant_id = ?1 and session_id = ?2")
                    .setParameter(1, tenantId).setParameter(2, sessionId).executeUpdate();
        }
        entityManager.createNativeQuery("delete from sessions where tenant_id = ?1 and session_id = ?2")
                .setParameter(1, tenantId).setParameter(2, sessionId).executeUpdate();
        entityManager.createNativeQuery("""
                        insert into erased_sessions (session_id, tenant_id) values (?1, ?2)
                        on conflict (session_id) do nothing""")
                .setParameter(1, sessionId).setParameter(2, tenantId).executeUpdate();
        live.erase(sessionId);
        return true;
    }

    private void announce(String tenantId, String sessionId) {
        try {
            sessions.publish(tenantId, sessionId, 1, UUID.randomUUID(),
                            new SessionErased(SessionErased.SESSION, REQUESTED_BY))
                    .toCompletableFuture().get(ANNOUNCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while announcing the erasure; nothing was erased");
        } catch (Exception e) {
            LOG.warnf("session.erased of a session of tenant %s not published: %s", tenantId, e);
            throw new ServiceUnavailableException("the erasure could not be announced to the other services; "
                    + "nothing was erased, try again");
        }
    }
}
